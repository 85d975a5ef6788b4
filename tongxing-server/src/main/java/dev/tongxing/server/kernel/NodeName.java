package dev.tongxing.server.kernel;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This node's name in records other nodes read (who completed a job, who probed): host name and process id. */
public final class NodeName {

	private static final String NAME = host() + "-" + ProcessHandle.current().pid();

	private NodeName() {
	}

	public static String get() {
		return NAME;
	}

	private static String host() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown-host"; // the pid still tells processes apart on one machine
		}
	}

}
