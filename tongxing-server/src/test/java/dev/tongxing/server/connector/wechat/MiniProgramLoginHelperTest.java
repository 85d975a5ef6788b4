package dev.tongxing.server.connector.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The mini program's login helper ({@code examples/miniprogram}, plain JavaScript) tested under Node against this
 * gateway and its WeChat emulator: {@code node --test} runs the helper's own tests with their URLs in the
 * environment, and any failing Node test fails this one (Node's report is the message). Needs {@code node} (18 or
 * later) on the PATH, which {@code bin/test} installs; without it the test is skipped, except under CI, where it fails.
 */
class MiniProgramLoginHelperTest extends GatewayTest {

	static final Path EXAMPLE = Path.of("..", "examples", "miniprogram").toAbsolutePath().normalize();

	@Autowired
	WechatEmulator emulator;

	@Test
	void theHelpersNodeTestsPassAgainstTheGatewayAndTheEmulator() throws Exception {
		String node = node();
		List<String> tests;
		try (Stream<Path> files = Files.list(EXAMPLE.resolve("test"))) {
			tests = files.map(p -> "test/" + p.getFileName()).filter(p -> p.endsWith(".test.mjs")).sorted().toList();
		}
		assertThat(tests).as("the helper's tests in " + EXAMPLE).isNotEmpty();
		String policyVersion = (String) new OAuthClient(this.issuer).get("/privacy/policy.json", null).json().get("version");

		ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(node, "--test", "--test-reporter=tap"), tests.stream()).toList())
			.directory(EXAMPLE.toFile())
			.redirectErrorStream(true);
		builder.environment().putAll(java.util.Map.of("TONGXING_ISSUER", this.issuer, "WECHAT_EMULATOR_URL",
				this.emulator.baseUrl(), "TONGXING_CLIENT_ID", "live-app", "TONGXING_CLIENT_SECRET", "app-secret",
				"WECHAT_APPID", DefaultFixture.MINI_PROGRAM_APPID, "TONGXING_POLICY_VERSION", policyVersion));
		Process process = builder.start();
		process.getOutputStream().close();
		boolean finished = process.waitFor(120, TimeUnit.SECONDS);
		if (!finished) {
			process.destroyForcibly();
		}
		String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		System.out.println(report);
		assertThat(finished).as("node --test still running after 120 s:%n%s", report).isTrue();
		assertThat(process.exitValue()).as("node --test failed:%n%s", report).isZero();
		// the tests ran and none failed (node's TAP summary, whatever its version's default reporter)
		assertThat(report).containsPattern("# pass [1-9]").contains("# fail 0");
	}

	/** The {@code node} on the PATH, or the test is skipped (failed under CI, whose set-up installs it). */
	static String node() {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(dir, "node");
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		if (System.getenv("CI") != null) {
			throw new IllegalStateException("CI is set but node is not on the PATH: apt-get install -y nodejs "
					+ "(bin/test does this)");
		}
		Assumptions.abort("node is not installed: the mini program helper's tests (examples/miniprogram) need Node.js "
				+ "18 or later (apt-get install -y nodejs)");
		return null;
	}

}
