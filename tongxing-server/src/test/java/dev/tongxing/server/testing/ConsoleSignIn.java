package dev.tongxing.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.console.OperatorRole;
import dev.tongxing.server.console.OperatorSecondFactor;
import dev.tongxing.server.console.Operators;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;
import org.springframework.context.ApplicationContext;

/**
 * Signs a test in to the console as an operator, the way an operator does it: an account (made by the dev
 * test-user login), roles granted, a TOTP second factor enrolled; then the console's sign-in through the gateway's
 * login page and a code from the authenticator "app" (java-otp, as the gateway computes them). Over HTTP
 * ({@link #signIn(TestBrowser, Operator, String)}) and in Chromium ({@link #signIn(Chromium, Operator)}).
 */
public final class ConsoleSignIn {

	/** An operator of the gateway under test: the dev login's name, the account, its TOTP secret (Base32). */
	public record Operator(String issuer, String name, String accountId, String secret) {

		/** A code the gateway takes now, never one it took before (it refuses a code's step twice). */
		public String code() {
			return ConsoleSignIn.code(this);
		}

		/** A well-formed code the gateway refuses now (none of the steps it would accept). */
		public String wrongCode() {
			long step = Instant.now().getEpochSecond() / 30;
			for (int candidate = 0;; candidate++) {
				String code = String.format("%06d", candidate);
				if (!at(this.secret, step - 1).equals(code) && !at(this.secret, step).equals(code)
						&& !at(this.secret, step + 1).equals(code)) {
					return code;
				}
			}
		}

	}

	private static final Map<String, Operator> OPERATORS = new ConcurrentHashMap<>();

	private static final Map<String, Long> LAST_STEP = new ConcurrentHashMap<>();

	private ConsoleSignIn() {
	}

	/**
	 * The operator {@code name} of this gateway with exactly {@code roles} (granted now), enrolled in TOTP. The
	 * account is made on first use by the dev login; later calls reuse it and its secret.
	 */
	public static Operator operator(ApplicationContext context, String issuer, String name, OperatorRole... roles) {
		Operator operator = OPERATORS.computeIfAbsent(issuer + " " + name, key -> {
			String accountId = account(context, issuer, name);
			OperatorSecondFactor secondFactor = context.getBean(OperatorSecondFactor.class);
			OperatorSecondFactor.Enrolment enrolment = secondFactor.enrol(accountId, name);
			Operator made = new Operator(issuer, name, accountId, enrolment.secret());
			assertThat(secondFactor.confirm(accountId, made.code(), "test")).as("TOTP enrolment confirmed").isTrue();
			return made;
		});
		grant(context, operator.accountId(), roles);
		return operator;
	}

	/** An account of the dev login (made now if need be), with the roles given, not enrolled in a second factor. */
	public static String account(ApplicationContext context, String issuer, String name, OperatorRole... roles) {
		AccountService accounts = context.getBean(AccountService.class);
		ExternalIdentity.IdentityKey key = new ExternalIdentity.IdentityKey("dev", name);
		if (accounts.userFor(key).isEmpty()) {
			TestBrowser browser = new TestBrowser(issuer);
			browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), null);
		}
		String accountId = accounts.userFor(key).orElseThrow(() -> new AssertionError("the dev login made no account"));
		grant(context, accountId, roles);
		return accountId;
	}

	private static void grant(ApplicationContext context, String accountId, OperatorRole... roles) {
		EnumSet<OperatorRole> set = EnumSet.noneOf(OperatorRole.class);
		set.addAll(java.util.List.of(roles));
		context.getBean(Operators.class).grant(accountId, set, "test");
	}

	/**
	 * The console's sign-in in {@code browser}: the sign-in link, the gateway's login page (dev login as the
	 * operator's name), then the second-factor page. Enrolled operators only.
	 * @return the second-factor page (HTTP 200), before the code is typed
	 */
	public static HttpResponse<String> firstStep(TestBrowser browser, String name, String language) {
		HttpResponse<String> login = browser.follow(browser.get("/admin/oauth2/authorization/tongxing-console", language), null);
		assertThat(login.uri().getPath()).as("the gateway's login page").isEqualTo("/login");
		HttpResponse<String> dev = browser.get("/login/dev", language);
		HttpResponse<String> after = browser.follow(browser.submit(dev, "/login/dev", Map.of("username", name)), null);
		if (after.body().contains("data-testid=\"age-question\"")) {
			// a gateway that asks people's age (tongxing.minors.*): operators are adults
			after = browser.follow(browser.submit(after, "/account/age", Map.of("bracket", "adult")), null);
		}
		return after;
	}

	/** Signs {@code browser} in to the console as {@code operator}; @return the page it lands on ({@code /admin}) */
	public static HttpResponse<String> signIn(TestBrowser browser, Operator operator, String language) {
		HttpResponse<String> secondFactor = firstStep(browser, operator.name(), language);
		assertThat(secondFactor.body()).as("the second-factor page").contains("data-testid=\"console-second-factor\"");
		HttpResponse<String> done = browser.submit(secondFactor, "/admin/second-factor", Map.of("code", operator.code()));
		assertThat(done.statusCode()).as("the code was taken").isEqualTo(302);
		return browser.follow(done, null);
	}

	/** A new browser signed in to the console as {@code operator}. */
	public static TestBrowser signedIn(Operator operator, String language) {
		TestBrowser browser = new TestBrowser(operator.issuer());
		signIn(browser, operator, language);
		return browser;
	}

	/** Signs Chromium in to the console as {@code operator}: the console's sign-in button, dev login, the code. */
	public static void signIn(Chromium chromium, Operator operator) {
		chromium.open(operator.issuer() + "/admin");
		chromium.click("[data-action=console-sign-in]");
		devLogin(chromium, operator.name());
		chromium.waitFor("[data-testid=console-second-factor] input[name=code]").sendKeys(operator.code());
		chromium.click("[data-action=verify-code]");
		chromium.waitFor("[data-testid=admin-index]");
	}

	/** On the gateway's login page: the test-user method, signed in as {@code name}. */
	public static void devLogin(Chromium chromium, String name) {
		chromium.click("a[data-provider=dev]");
		chromium.waitFor("[data-testid=dev-login] input[name=username]").sendKeys(name);
		chromium.click("[data-testid=dev-login] [data-action=sign-in]");
	}

	/** The code of the TOTP step {@code step}, as an authenticator app shows it. */
	public static String at(String secret, long step) {
		try {
			TimeBasedOneTimePasswordGenerator totp = new TimeBasedOneTimePasswordGenerator();
			String padded = secret + "=".repeat((8 - secret.length() % 8) % 8);
			return totp.generateOneTimePasswordString(new SecretKeySpec(Base32.decode(padded), "HmacSHA1"),
					Instant.ofEpochSecond(step * 30));
		}
		catch (java.security.InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static synchronized String code(Operator operator) {
		while (true) {
			long now = Instant.now().getEpochSecond() / 30;
			long last = LAST_STEP.getOrDefault(operator.accountId(), Long.MIN_VALUE);
			long step = Math.max(now, last + 1);
			if (step <= now + 1) { // the gateway accepts the step before, at and after now, each once
				LAST_STEP.put(operator.accountId(), step);
				return at(operator.secret(), step);
			}
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
