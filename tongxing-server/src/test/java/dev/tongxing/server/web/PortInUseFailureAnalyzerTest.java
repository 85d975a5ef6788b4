package dev.tongxing.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.WechatEmulatorOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** The start-up message when a port is taken names the property that moves it. */
class PortInUseFailureAnalyzerTest {

	@Test
	void theGatewaysOwnPortNamesServerPortAndTheIssuer() {
		FailureAnalysis analysis = firstAnalysis(new PortInUseException(8080));
		assertThat(analysis.getDescription()).contains("port 8080 is already in use");
		assertThat(analysis.getAction()).contains("--server.port=").contains("--tongxing.issuer");
	}

	@Test
	void theEmulatorsPortNamesItsProperty() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Throwable failure = catchThrowable(
					() -> WechatEmulator.start(WechatEmulatorOptions.defaults().port(taken.getLocalPort())).close());
			assertThat(failure).isNotNull();
			FailureAnalysis analysis = firstAnalysis(failure);
			assertThat(analysis.getDescription()).contains("WeChat emulator")
				.contains("port " + taken.getLocalPort() + " is already in use");
			assertThat(analysis.getAction()).contains("--tongxing.dev.wechat-emulator.port=")
				.doesNotContain("--server.port");
		}
	}

	/** What Spring Boot prints: the first registered analyzer, in order, that explains the failure. */
	private static FailureAnalysis firstAnalysis(Throwable failure) {
		// the arguments Spring Boot's FailureAnalyzers gives the analyzers it loads
		var arguments = SpringFactoriesLoader.ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
			.and(Environment.class, new StandardEnvironment());
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, arguments);
		return analyzers.stream()
			.map(a -> a.analyze(failure))
			.filter(Objects::nonNull)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no analysis of " + failure));
	}

}
