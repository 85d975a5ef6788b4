package dev.tongxing.server.cli;

import dev.tongxing.server.TongxingApplication;
import dev.tongxing.server.oidc.keys.SigningKeys;
import java.util.Arrays;
import java.util.Set;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Operator commands run from the gateway's jar against its configured database, e.g.
 * {@code java -jar tongxing-server.jar keys rotate}. Spring options may follow the command.
 */
public final class Commands {

	private static final Set<String> GROUPS = Set.of("keys", "help");

	private Commands() {
	}

	public static boolean isCommand(String[] args) {
		return args.length > 0 && GROUPS.contains(args[0]);
	}

	public static int run(String[] args) {
		String command = args.length > 1 && !args[1].startsWith("--") ? args[0] + " " + args[1] : args[0];
		String[] springArgs = Arrays.stream(args).filter(a -> a.startsWith("--")).toArray(String[]::new);
		switch (command) {
			case "keys rotate" -> {
				try (ConfigurableApplicationContext context = offline(springArgs)) {
					String kid = context.getBean(SigningKeys.class).rotate();
					System.out.println("Rotated signing keys. Active key: " + kid);
					System.out.println("The previous key stays in the JWKS until the tokens it signed have expired.");
					return 0;
				}
			}
			default -> {
				System.out.println("""
						Usage: java -jar tongxing-server.jar [COMMAND] [--spring.option=value ...]
						  (no command)   run the gateway
						  keys rotate    activate a new token signing key""");
				return command.equals("help") ? 0 : 2;
			}
		}
	}

	private static ConfigurableApplicationContext offline(String[] springArgs) {
		return new SpringApplicationBuilder(TongxingApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(springArgs);
	}

}
