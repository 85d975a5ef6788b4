package dev.tongxing.server.web;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;

/**
 * A port that is taken at start-up, explained with the property that moves it: the gateway's own
 * ({@code server.port}, which {@code tongxing.issuer} must follow) or the dev profile's embedded WeChat
 * emulator ({@code tongxing.dev.wechat-emulator.port}). Ahead of Spring Boot's generic analysis, which names
 * neither.
 */
public class PortInUseFailureAnalyzer extends AbstractFailureAnalyzer<PortInUseException> implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PortInUseException cause) {
		if (startedByEmulator(cause)) {
			return new FailureAnalysis(
					"The embedded WeChat emulator (dev profile) could not start: port " + cause.getPort()
							+ " is already in use.",
					"Stop whatever listens on port " + cause.getPort()
							+ " (another gateway in the dev profile, or a standalone emulator), or move the emulator with"
							+ " --tongxing.dev.wechat-emulator.port=<free port> (0 picks any free port), or switch it"
							+ " off with --tongxing.dev.wechat-emulator.enabled=false.",
					cause);
		}
		return new FailureAnalysis("The gateway could not start: port " + cause.getPort() + " is already in use.",
				"Stop whatever listens on port " + cause.getPort() + ", or start the gateway on another port with"
						+ " --server.port=<port> and set --tongxing.issuer to match (e.g. --server.port=8081"
						+ " --tongxing.issuer=http://127.0.0.1:8081): the issuer names the port clients reach.",
				cause);
	}

	private static boolean startedByEmulator(Throwable failure) {
		for (StackTraceElement frame : failure.getStackTrace()) {
			if (frame.getClassName().startsWith("dev.tongxing.wechat.emulator.")) {
				return true;
			}
		}
		return false;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
