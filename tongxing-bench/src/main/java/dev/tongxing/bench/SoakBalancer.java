package dev.tongxing.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load balancer in front of the soak's nodes: a TCP proxy on one port, the issuer's, that hands each new
 * connection to the next node that accepts it. Nodes must share one issuer (it is in every token and every
 * redirect), so the soak's clients never talk to a node's own port. It knows nothing of kills: like a real
 * balancer it learns a node is gone when the connect is refused, and a connection open to a node that dies is
 * cut, as it would be.
 */
final class SoakBalancer implements AutoCloseable {

	private final ServerSocket server;

	private final List<Integer> backends;

	private final AtomicInteger next = new AtomicInteger();

	private final AtomicLong refused = new AtomicLong();

	private volatile boolean closed;

	SoakBalancer(int port, List<Integer> backends) throws IOException {
		this.backends = List.copyOf(backends);
		this.server = new ServerSocket();
		this.server.setReuseAddress(true);
		this.server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 200);
		Thread.ofPlatform().daemon().name("soak-balancer").start(this::accept);
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** Connections refused because no node accepted them (both down, or starting). */
	long refused() {
		return this.refused.get();
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				Thread.ofVirtual().name("soak-balancer-conn").start(() -> forward(client));
			}
			catch (IOException ex) {
				if (!this.closed) {
					System.err.println("soak balancer: " + ex);
				}
			}
		}
	}

	private void forward(Socket client) {
		Socket node = null;
		int start = Math.floorMod(this.next.getAndIncrement(), this.backends.size());
		for (int i = 0; i < this.backends.size() && node == null; i++) {
			int port = this.backends.get((start + i) % this.backends.size());
			Socket candidate = new Socket();
			try {
				candidate.setTcpNoDelay(true);
				candidate.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1000);
				node = candidate;
			}
			catch (IOException downOrStarting) {
				close(candidate);
			}
		}
		if (node == null) {
			this.refused.incrementAndGet();
			close(client);
			return;
		}
		try {
			client.setTcpNoDelay(true);
		}
		catch (IOException ignored) {
			// only a latency hint
		}
		Socket upstream = node;
		Thread back = Thread.ofVirtual().start(() -> pipe(upstream, client));
		pipe(client, upstream);
		try {
			back.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Copies until either side ends; then both sockets close, so the other direction ends too. */
	private static void pipe(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int n;
			while ((n = in.read(buffer)) >= 0) {
				out.write(buffer, 0, n);
				out.flush();
			}
		}
		catch (IOException cut) {
			// a killed node, or the client gone: the connection ends either way
		}
		finally {
			close(from);
			close(to);
		}
	}

	private static void close(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ignored) {
			// closing
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		this.server.close();
	}

}
