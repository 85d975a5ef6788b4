package dev.tongxing.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's shape, read from the file (no container engine here to build it): a JDK build stage with
 * the Maven wrapper, JRE-only runtime stages, a numeric non-root user, the liveness health check, nothing
 * secret in ENV or ARG, and every path it copies present in the repository.
 */
class DockerfileTest {

	static final String DOCKERFILE = Repository.read("Dockerfile");

	record Stage(String image, String name, List<String> instructions) {

		boolean has(String prefix) {
			return this.instructions.stream().anyMatch(i -> i.startsWith(prefix));
		}

		String first(String prefix) {
			return this.instructions.stream().filter(i -> i.startsWith(prefix)).findFirst().orElse(null);
		}

	}

	/** The stages, each with its instructions (continuation lines joined, comments left out). */
	static List<Stage> stages() {
		List<Stage> stages = new ArrayList<>();
		String joined = DOCKERFILE.replaceAll("\\\\\n", " ");
		for (String line : joined.split("\n")) {
			String instruction = line.strip();
			if (instruction.isEmpty() || instruction.startsWith("#")) {
				continue;
			}
			Matcher from = Pattern.compile("FROM (\\S+)(?: AS (\\S+))?").matcher(instruction);
			if (from.matches()) {
				stages.add(new Stage(from.group(1), from.group(2), new ArrayList<>()));
			}
			else {
				stages.getLast().instructions().add(instruction);
			}
		}
		return stages;
	}

	static Stage stage(String name) {
		return stages().stream().filter(s -> name.equals(s.name())).findFirst().orElseThrow();
	}

	@Test
	void buildsWithTheWrapperOnAJdkAndRunsTheGatewayOnAJreByDefault() {
		List<Stage> stages = stages();
		Stage build = stages.getFirst();
		assertThat(build.image()).matches("eclipse-temurin:(2[1-9]|[3-9]\\d)-jdk");
		assertThat(build.first("RUN --mount=type=cache,target=/root/.m2 ./mvnw ")).contains("package").contains("-DskipTests");
		Stage gateway = stages.getLast();
		assertThat(gateway.name()).as("the default target").isEqualTo("gateway");
		assertThat(stage("runtime-base").image()).matches("eclipse-temurin:(2[1-9]|[3-9]\\d)-jre");
		assertThat(gateway.image()).isEqualTo("runtime-base");
		assertThat(stage("emulator").image()).isEqualTo("runtime-base");
		assertThat(gateway.first("ENTRYPOINT")).contains("/app/tongxing-server.jar");
		assertThat(stage("emulator").first("ENTRYPOINT")).contains("/app/wechat-emulator.jar")
			.contains("--server.address=0.0.0.0");
		assertThat(gateway.first("EXPOSE")).isEqualTo("EXPOSE 8080");
	}

	@Test
	void runsAsANumericNonRootUser() {
		String user = stage("runtime-base").first("USER");
		Matcher m = Pattern.compile("USER (\\d+):(\\d+)").matcher(user);
		assertThat(m.matches()).as(user).isTrue();
		assertThat(Integer.parseInt(m.group(1))).isPositive();
		assertThat(Integer.parseInt(m.group(2))).isPositive();
		for (Stage stage : stages().subList(1, stages().size())) {
			assertThat(stage.instructions()).noneMatch(i -> i.startsWith("USER root") || i.startsWith("USER 0"));
			stage.instructions()
				.stream()
				.filter(i -> i.startsWith("COPY --from"))
				.forEach(copy -> assertThat(copy).contains("--chown=" + m.group(1) + ":" + m.group(2)));
		}
	}

	@Test
	void theHealthCheckAsksTheLivenessGroup() {
		String check = stage("gateway").first("HEALTHCHECK");
		assertThat(check).contains("/actuator/health/liveness").contains("${SERVER_PORT:-8080}").contains(" 200 ");
		assertThat(stage("emulator").first("HEALTHCHECK")).contains("/_emulator ");
	}

	@Test
	void nothingSecretIsBakedIn() {
		for (Stage stage : stages()) {
			for (String instruction : stage.instructions()) {
				if (instruction.startsWith("ENV") || instruction.startsWith("ARG")) {
					assertThat(instruction.toUpperCase()).doesNotContain("MASTER", "PASSWORD", "SECRET", "TOKEN");
				}
			}
		}
	}

	@Test
	void everyCopiedPathExists() {
		for (Stage stage : stages()) {
			for (String instruction : stage.instructions()) {
				if (instruction.startsWith("COPY ") && !instruction.startsWith("COPY --from")) {
					String[] parts = instruction.split("\\s+");
					for (int i = 1; i < parts.length - 1; i++) {
						assertThat(Files.exists(Repository.file(parts[i]))).as("%s exists", parts[i]).isTrue();
					}
				}
			}
		}
		String ignore = Repository.read(".dockerignore");
		assertThat(ignore).contains("**/target").contains(".git");
	}

}
