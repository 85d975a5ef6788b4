package dev.tongxing.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port to listen on later, chosen below the kernel's ephemeral range. A port the kernel hands out for
 * {@code new ServerSocket(0)} comes from that range, which is also where every outgoing connection (JDBC, Redis,
 * HTTP clients) takes its local port: between choosing it and the gateway binding it, one of them took it
 * (CarrierLoginContractTest on CI: "Port 46485 is already in use"). Below the range only listeners compete.
 */
public final class FreePort {

	private static final int LOWEST = 20000;

	private FreePort() {
	}

	public static int find() {
		int below = ephemeralStart();
		for (int tries = 0; tries < 200; tries++) {
			int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
			if (bindable(port)) {
				return port;
			}
		}
		return anyPort();
	}

	private static boolean bindable(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException inUse) {
			return false;
		}
	}

	/** The first port of the ephemeral range ({@code ip_local_port_range}); Linux's default where it can't be read. */
	static int ephemeralStart() {
		try {
			String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
			int start = Integer.parseInt(range[0]);
			return start > LOWEST + 1000 ? start : 32768;
		}
		catch (IOException | RuntimeException unreadable) {
			return 32768;
		}
	}

	private static int anyPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
