package dev.tongxing.server.connector.phone;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** A JDK HTTP server on a free loopback port, the base of the fake SMS providers. */
abstract class FakeHttpServer implements AutoCloseable {

	/** What a handler answers. */
	record Reply(int status, String contentType, String body) {

		static Reply json(int status, String body) {
			return new Reply(status, "application/json", body);
		}
	}

	private final HttpServer server;

	FakeHttpServer() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", exchange -> {
			try (exchange) {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				Reply reply = handle(exchange, body);
				byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", reply.contentType());
				exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
				if (bytes.length > 0) {
					exchange.getResponseBody().write(bytes);
				}
			}
		});
		this.server.start();
	}

	abstract Reply handle(HttpExchange exchange, String body) throws IOException;

	URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/");
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
