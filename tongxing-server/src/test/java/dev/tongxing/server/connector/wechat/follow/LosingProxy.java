package dev.tongxing.server.connector.wechat.follow;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Between WeChat and the gateway: forwards every push to the gateway, but WeChat hears back only after the first
 * {@code lose} tries (they get HTTP 502, as when an answer is lost on the way), so WeChat resends the same push.
 * Keeps what the gateway answered each time.
 */
final class LosingProxy implements AutoCloseable {

	private final HttpServer server;

	private final HttpClient http = HttpClient.newHttpClient();

	private final AtomicInteger tries = new AtomicInteger();

	final List<HttpResponse<String>> gatewayAnswers = new CopyOnWriteArrayList<>();

	LosingProxy(String target, int lose) {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", exchange -> {
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			String query = exchange.getRequestURI().getRawQuery();
			HttpResponse<String> answer;
			try {
				answer = this.http.send(HttpRequest.newBuilder(URI.create(target + "?" + query))
					.header("Content-Type", "text/xml")
					.POST(HttpRequest.BodyPublishers.ofByteArray(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
			this.gatewayAnswers.add(answer);
			boolean lost = this.tries.incrementAndGet() <= lose;
			byte[] out = (lost ? "bad gateway" : answer.body()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(lost ? 502 : answer.statusCode(), out.length);
			try (OutputStream os = exchange.getResponseBody()) {
				os.write(out);
			}
		});
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/wechat";
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
