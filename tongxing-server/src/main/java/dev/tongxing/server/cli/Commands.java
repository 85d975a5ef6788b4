package dev.tongxing.server.cli;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditExport;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditReport;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.audit.AuditVerifier;
import dev.tongxing.server.console.OperatorRole;
import dev.tongxing.server.console.Operators;
import dev.tongxing.server.crypto.PersonalDataRekey;
import dev.tongxing.server.oidc.keys.SigningKeys;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Operator commands run from the gateway's jar against its configured database, e.g.
 * {@code java -jar tongxing-server.jar keys rotate}. Spring options may follow the command.
 */
public final class Commands {

	private static final Set<String> GROUPS = Set.of("keys", "audit", "pii", "analytics", "operator", "import", "export",
			"help");

	private Commands() {
	}

	public static boolean isCommand(String[] args) {
		return args.length > 0 && GROUPS.contains(args[0]);
	}

	/**
	 * @param application the Spring Boot application the commands run in, without its web server (the gateway's
	 * own: passed in by its {@code main}, so this package does not depend on it)
	 */
	public static int run(Class<?> application, String[] args) {
		String command = args.length > 1 && !args[1].startsWith("--") ? args[0] + " " + args[1] : args[0];
		String[] springArgs = Arrays.stream(args)
			.filter(a -> a.startsWith("--") && !a.startsWith("--from=") && !a.startsWith("--to=")
					&& !a.equals("--dry-run"))
			.toArray(String[]::new);
		switch (command) {
			case "keys rotate" -> {
				try (ConfigurableApplicationContext context = offline(application, springArgs)) {
					SigningKeys keys = context.getBean(SigningKeys.class);
					String previous = keys.activeKeyId();
					String kid = keys.rotate();
					context.getBean(AuditLog.class)
						.record(AuditEntry.of(AuditTypes.ADMIN_KEYS_ROTATED)
							.actor(operator())
							.detail("retired_kid", previous)
							.detail("active_kid", kid));
					System.out.println("Rotated signing keys. Active key: " + kid);
					System.out.println("The previous key stays in the JWKS until the tokens it signed have expired.");
					return 0;
				}
			}
			case "pii rekey" -> {
				try (ConfigurableApplicationContext context = offline(application, springArgs)) {
					List<PersonalDataRekey.ColumnResult> results = context.getBean(PersonalDataRekey.class).rekey();
					long resealed = results.stream().mapToLong(PersonalDataRekey.ColumnResult::resealed).sum();
					long unreadable = results.stream().mapToLong(PersonalDataRekey.ColumnResult::unreadable).sum();
					results.forEach(r -> System.out.println(r.column() + ": " + (r.skipped()
							? "SKIPPED (its table has no single-column primary key)"
							: r.resealed() + " re-sealed" + (r.unreadable() > 0 ? ", " + r.unreadable() + " UNREADABLE" : ""))));
					boolean skipped = results.stream().anyMatch(PersonalDataRekey.ColumnResult::skipped);
					context.getBean(AuditLog.class)
						.record(AuditEntry.of(AuditTypes.ADMIN_PII_REKEYED)
							.actor(operator())
							.detail("resealed", Long.toString(resealed))
							.detail("unreadable", Long.toString(unreadable)));
					System.out.println("Re-sealed " + resealed + " values under the current data key.");
					if (unreadable > 0) {
						System.out.println(unreadable + " values are sealed under keys that are not configured: "
								+ "keep every retired key configured until they are dealt with.");
						return 1;
					}
					if (skipped) {
						System.out.println("Some sealed columns were skipped: keep the old keys configured.");
						return 1;
					}
					return 0;
				}
			}
			case "operator grant" -> {
				// operator grant <account id | +phone> <roles, e.g. admin or viewer,support; "none" takes all away>
				String[] words = Arrays.stream(args).filter(a -> !a.startsWith("--")).toArray(String[]::new);
				if (words.length != 4) {
					System.out.println("Usage: java -jar tongxing-server.jar operator grant <account-id|+phone> <viewer|support|admin|none>[,...]");
					return 2;
				}
				java.util.Set<OperatorRole> roles;
				try {
					roles = words[3].equals("none") ? java.util.EnumSet.noneOf(OperatorRole.class) : OperatorRole.parseAll(words[3]);
				}
				catch (IllegalArgumentException ex) {
					System.out.println(ex.getMessage());
					return 2;
				}
				try (ConfigurableApplicationContext context = offline(application, springArgs)) {
					Operators operators = context.getBean(Operators.class);
					java.util.Optional<String> account = operators.resolve(words[2]);
					if (account.isEmpty()) {
						System.out.println("No account has that id or phone number (it must have signed in once).");
						return 1;
					}
					operators.grant(account.get(), roles, operator());
					System.out.println("Account " + account.get() + " now holds: "
							+ (roles.isEmpty() ? "no operator role" : String.join(",", roles.stream().map(OperatorRole::value).toList())));
					return 0;
				}
			}
			case "import users" -> {
				return importUsers(application, args, springArgs);
			}
			case "export users" -> {
				String[] words = Arrays.stream(args).filter(a -> !a.startsWith("--")).toArray(String[]::new);
				if (words.length != 3) {
					System.out.println("Usage: java -jar tongxing-server.jar export users FILE");
					return 2;
				}
				java.nio.file.Path file = java.nio.file.Path.of(words[2]);
				try (ConfigurableApplicationContext context = offline(application, springArgs);
						Writer out = java.nio.file.Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
					long written = context.getBean(dev.tongxing.server.transfer.UserExport.class).write(out, operator());
					System.out.println("Exported " + written + " people to " + file + " (JSON Lines, the import format).");
					return 0;
				}
				catch (java.io.IOException ex) {
					System.out.println("Cannot write " + file + ": " + ex.getMessage());
					return 1;
				}
			}
			case "audit verify" -> {
				try (ConfigurableApplicationContext context = offline(application, springArgs)) {
					AuditReport report = context.getBean(AuditVerifier.class).verify();
					System.out.println(report.describe());
					return report.intact() ? 0 : 1;
				}
			}
			case "audit export" -> {
				Instant from = AuditExport.parseTime(option(args, "--from="));
				Instant to = AuditExport.parseTime(option(args, "--to="));
				// stdout carries the export alone: whatever else is printed (logs) goes to stderr
				PrintStream stdout = System.out;
				System.setOut(System.err);
				try (ConfigurableApplicationContext context = offline(application, springArgs)) {
					context.getBean(AuditLog.class)
						.record(AuditEntry.of(AuditTypes.ADMIN_AUDIT_EXPORTED)
							.actor(operator())
							.detail("from", from == null ? null : from.toString())
							.detail("to", to == null ? null : to.toString()));
					Writer out = new OutputStreamWriter(stdout, StandardCharsets.UTF_8);
					long written = context.getBean(AuditExport.class).write(from, to, out);
					System.err.println("Exported " + written + " audit entries.");
					return 0;
				}
				finally {
					System.setOut(stdout);
				}
			}
			case "analytics seed" -> {
				int people = Integer.parseInt(java.util.Objects.requireNonNullElse(option(args, "--people="), "1000000"));
				int days = Integer.parseInt(java.util.Objects.requireNonNullElse(option(args, "--days="), "365"));
				try (ConfigurableApplicationContext context = offline(application, springArgs)) {
					var seeded = context.getBean(dev.tongxing.server.analytics.AnalyticsSeeder.class).seed(people, days, 1);
					System.out.println("Seeded " + seeded.loginRows() + " login, " + seeded.causeRows() + " cause and "
							+ seeded.latencyRows() + " latency, " + seeded.funnelRows() + " funnel, " + seeded.smsRows()
							+ " SMS and " + seeded.peopleDayRows() + " people-per-day roll-up rows over " + days
							+ " days, and " + seeded.people() + " cohort rows (made-up counts: for a test database only).");
					return 0;
				}
			}
			default -> {
				System.out.println("""
						Usage: java -jar tongxing-server.jar [COMMAND] [--spring.option=value ...]
						  (no command)   run the gateway
						  keys rotate    activate a new token signing key
						  pii rekey      re-seal personal data under the current data key (tongxing.pii.current-key-id)
						                 (exit 1: some values are sealed under keys that are not configured)
						  operator grant <account-id|+phone> <roles>
						                 set an account's console roles: viewer, support, admin (comma-separated),
						                 or none to take them away
						  audit verify   check the audit log's hash chain and signed checkpoints
						                 (exit 0: intact; 1: names the first altered, removed or inserted entry)
						  audit export [--from=2026-01-01] [--to=2026-02-01T00:00:00+08:00]
						                 write the audit log to stdout as JSON Lines
						  import users FILE [--dry-run]
						                 bring people in from another system (JSON Lines, see README "Moving in");
						                 --dry-run reports what would happen and every conflict, writing nothing
						                 (exit 1: some lines were invalid or in conflict)
						  export users FILE
						                 write every active account to FILE in the same format
						  analytics seed [--people=1000000] [--days=365]
						                 fill the analytics roll-ups with made-up counts (test databases only)""");
				return command.equals("help") ? 0 : 2;
			}
		}
	}

	/** {@code import users FILE [--dry-run]}: exit 0 when every line was taken, 1 when some were not. */
	private static int importUsers(Class<?> application, String[] args, String[] springArgs) {
		String[] words = Arrays.stream(args).filter(a -> !a.startsWith("--")).toArray(String[]::new);
		if (words.length != 3) {
			System.out.println("Usage: java -jar tongxing-server.jar import users FILE [--dry-run]");
			return 2;
		}
		java.nio.file.Path file = java.nio.file.Path.of(words[2]);
		boolean dryRun = Arrays.asList(args).contains("--dry-run");
		String sha256;
		try {
			sha256 = dev.tongxing.server.transfer.TransferFiles.sha256(file);
		}
		catch (java.io.IOException ex) {
			System.out.println("Cannot read " + file + ": " + ex.getMessage());
			return 1;
		}
		try (ConfigurableApplicationContext context = offline(application, springArgs)) {
			long started = System.nanoTime();
			var report = context.getBean(dev.tongxing.server.transfer.UserImport.class)
				.run(() -> dev.tongxing.server.transfer.TransferFiles.open(file), sha256, dryRun, operator(), progress -> {
					double seconds = (System.nanoTime() - started) / 1e9;
					System.err.print("\r" + progress.progressLine()
							+ String.format(" (%,.0f/s)", (progress.read() - progress.resumed()) / Math.max(seconds, 0.001)));
				});
			double seconds = (System.nanoTime() - started) / 1e9;
			System.err.println();
			System.out.print(report.describe());
			System.out.println(String.format("Took %.1f s (%,.0f records/s).", seconds,
					(report.read() - report.resumed()) / Math.max(seconds, 0.001)));
			return report.clean() ? 0 : 1;
		}
		catch (java.io.UncheckedIOException ex) {
			System.err.println();
			System.out.println("Cannot read " + file + " (it must be UTF-8 JSON Lines): " + ex.getCause().getMessage()
					+ ". Lines committed so far stay; run the same command again to resume.");
			return 1;
		}
		catch (org.springframework.dao.DataAccessException ex) {
			System.err.println();
			System.out.println("The database failed (" + ex.getMostSpecificCause().getMessage()
					+ "). Lines committed so far stay; run the same command again to resume.");
			return 1;
		}
		catch (IllegalStateException misconfigured) {
			System.out.println(misconfigured.getMessage());
			return 2;
		}
	}

	private static String option(String[] args, String prefix) {
		return Arrays.stream(args).filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).findFirst()
			.orElse(null);
	}

	/** Who ran a command, for the audit log: the operating-system account. */
	private static String operator() {
		return "cli:" + System.getProperty("user.name", "unknown");
	}

	private static ConfigurableApplicationContext offline(Class<?> application, String[] springArgs) {
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(springArgs);
	}

}
