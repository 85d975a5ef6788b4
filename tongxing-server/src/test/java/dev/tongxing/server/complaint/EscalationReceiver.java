package dev.tongxing.server.complaint;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A webhook receiver for escalations on a JDK HttpServer: keeps every body, answers with a settable status. */
final class EscalationReceiver {

	private final HttpServer server;

	private final List<JsonNode> received = new CopyOnWriteArrayList<>();

	private final AtomicInteger status = new AtomicInteger(204);

	private final AtomicInteger calls = new AtomicInteger();

	EscalationReceiver() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		JsonMapper json = JsonMapper.builder().build();
		this.server.createContext("/escalations", exchange -> {
			this.calls.incrementAndGet();
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			int answer = this.status.get();
			if (answer / 100 == 2) {
				JsonNode node = json.readTree(body);
				((tools.jackson.databind.node.ObjectNode) node).put("_contentType",
						exchange.getRequestHeaders().getFirst("Content-Type"));
				((tools.jackson.databind.node.ObjectNode) node).put("_raw", body);
				this.received.add(node);
			}
			exchange.sendResponseHeaders(answer, -1);
			exchange.close();
		});
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/escalations";
	}

	void answer(int status) {
		this.status.set(status);
	}

	int calls() {
		return this.calls.get();
	}

	void reset() {
		this.received.clear();
		this.status.set(204);
		this.calls.set(0);
	}

	/** The escalations received for one ticket, in order. */
	List<JsonNode> forTicket(String number) {
		return this.received.stream().filter(n -> number.equals(n.path("ticket").asString())).toList();
	}

	/** Waits (briefly) until {@code count} escalations arrived for the ticket. */
	List<JsonNode> await(String number, int count) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (forTicket(number).size() < count && System.nanoTime() < deadline) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return forTicket(number);
	}

}
