package dev.tongxing.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The workloads of issue 10, by their {@code --workloads=} names. */
final class Workloads {

	static final List<String> NAMES = List.of("cc-rs256", "cc-es256", "cc-eddsa", "refresh", "introspect",
			"auth-code", "token-exchange");

	/** What runs today, before per-client signing algorithms exist in the gateway. */
	static final List<String> RS256 = List.of("cc-rs256", "refresh", "introspect", "auth-code", "token-exchange");

	private Workloads() {
	}

	static Workload create(String name, int connections) {
		return switch (name) {
			case "cc-rs256" -> new ClientCredentials(name, JWSAlgorithm.RS256, Gateway.CLIENT_ID,
					ratioAtLeast(0.8, 0.6, 50));
			case "cc-es256" -> new ClientCredentials(name, JWSAlgorithm.ES256, Gateway.ES256_CLIENT_ID,
					grantsAtLeast(5000));
			case "cc-eddsa" -> new ClientCredentials(name, JWSAlgorithm.EdDSA, Gateway.EDDSA_CLIENT_ID, Workload.Target.NONE);
			case "refresh" -> new RefreshRotation(connections);
			case "introspect" -> new Introspection();
			case "auth-code" -> new AuthorizationCodes(connections);
			case "token-exchange" -> new WechatTokenExchange();
			default -> throw new IllegalArgumentException("Unknown workload " + name + "; known: " + NAMES);
		};
	}

	/** What the gateway must have configured for these workloads. */
	static Gateway.Needs needs(List<String> names) {
		return new Gateway.Needs(names.contains("cc-es256"), names.contains("cc-eddsa"),
				names.contains("refresh") || names.contains("auth-code"),
				names.contains("refresh") || names.contains("auth-code") || names.contains("token-exchange"));
	}

	/** Ratio to the ceiling at least {@code h2} (H2) or {@code postgres}, p99 at most {@code p99Millis}, zero errors. */
	static Workload.Target ratioAtLeast(double h2, double postgres, double p99Millis) {
		return new Workload.Target() {
			@Override
			public String text() {
				return String.format(Locale.ROOT, ">= %.1f x ceiling (H2), >= %.1f x (PostgreSQL), p99 <= %.0f ms, 0 errors",
						h2, postgres, p99Millis);
			}

			@Override
			public Boolean met(BenchResult r) {
				double least = "postgres".equals(r.database()) ? postgres : h2;
				return r.ratio() >= least && r.p99Millis() <= p99Millis && r.errors() == 0;
			}
		};
	}

	static Workload.Target ratioAtLeast(double least) {
		return new Workload.Target() {
			@Override
			public String text() {
				return String.format(Locale.ROOT, ">= %.1f x ceiling", least);
			}

			@Override
			public Boolean met(BenchResult r) {
				return r.ratio() >= least && r.errors() == 0;
			}
		};
	}

	static Workload.Target grantsAtLeast(double perSecond) {
		return new Workload.Target() {
			@Override
			public String text() {
				return String.format(Locale.ROOT, ">= %.0f/s", perSecond);
			}

			@Override
			public Boolean met(BenchResult r) {
				return r.grantsPerSecond() >= perSecond && r.errors() == 0;
			}
		};
	}

	/** {@code client_credentials}, HTTP Basic, signed with the client's registered algorithm. */
	static final class ClientCredentials implements Workload {

		private final String name;

		private final JWSAlgorithm algorithm;

		private final String clientId;

		private final Target target;

		private byte[] request;

		ClientCredentials(String name, JWSAlgorithm algorithm, String clientId, Target target) {
			this.name = name;
			this.algorithm = algorithm;
			this.clientId = clientId;
			this.target = target;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public String label() {
			return "client_credentials";
		}

		@Override
		public JWSAlgorithm algorithm() {
			return this.algorithm;
		}

		@Override
		public int signaturesPerGrant() {
			return 1;
		}

		@Override
		public String measured() {
			return "POST /oauth2/token grant_type=client_credentials (HTTP Basic, client " + this.clientId
					+ " registered with access-token-signing-alg " + this.algorithm + "): one signed access token";
		}

		@Override
		public Target target() {
			return this.target;
		}

		@Override
		public TokenBench.Sample prepare(BenchSetup setup) throws Exception {
			TokenBench.Sample sample = TokenBench.sampleToken(setup.gateway(), this.clientId, Gateway.CLIENT_SECRET,
					this.algorithm);
			this.request = Http.post(setup.port(), "/oauth2/token", Http.basic(this.clientId, Gateway.CLIENT_SECRET),
					"grant_type=client_credentials&scope=" + Gateway.SCOPE);
			return sample;
		}

		@Override
		public Script script(int index) {
			return Script.repeating(this.request, "\"access_token\":\"");
		}

	}

	/** RFC 7662 introspection of a JWT access token by the confidential client that holds it. */
	static final class Introspection implements Workload {

		private byte[] request;

		@Override
		public String name() {
			return "introspect";
		}

		@Override
		public String label() {
			return "introspection";
		}

		@Override
		public JWSAlgorithm algorithm() {
			return JWSAlgorithm.RS256;
		}

		@Override
		public int signaturesPerGrant() {
			return 0;
		}

		@Override
		public String measured() {
			return "POST /oauth2/introspect (HTTP Basic) of one RS256 client_credentials access token obtained at set-up;"
					+ " success = 200 with \"active\":true; no signature is made (the ratio is only for scale)";
		}

		@Override
		public Target target() {
			return grantsAtLeast(8000);
		}

		@Override
		public TokenBench.Sample prepare(BenchSetup setup) throws Exception {
			TokenBench.Sample sample = TokenBench.sampleToken(setup.gateway(), Gateway.CLIENT_ID, Gateway.CLIENT_SECRET,
					JWSAlgorithm.RS256);
			Map<String, Object> answer = setup.post("/oauth2/introspect", Gateway.CLIENT_ID, Gateway.CLIENT_SECRET,
					Map.of("token", sample.serialized(), "token_type_hint", "access_token"));
			if (!Boolean.TRUE.equals(answer.get("active"))) {
				throw new IllegalStateException("The sample token is not active: " + answer);
			}
			this.request = Http.post(setup.port(), "/oauth2/introspect", Http.basic(Gateway.CLIENT_ID, Gateway.CLIENT_SECRET),
					"token=" + sample.serialized() + "&token_type_hint=access_token");
			return sample;
		}

		@Override
		public Script script(int index) {
			return Script.repeating(this.request, "\"active\":true");
		}

	}

	/**
	 * Refresh-token rotation: each connection redeems its current refresh token and keeps the new one. The
	 * first refresh token of each connection comes from a real login at set-up (WeChat website login
	 * through the emulator, authorization code + PKCE, redeemed).
	 */
	static final class RefreshRotation implements Workload {

		private final int connections;

		private final List<String> firstTokens = new ArrayList<>();

		private int port;

		RefreshRotation(int connections) {
			this.connections = connections;
		}

		@Override
		public String name() {
			return "refresh";
		}

		@Override
		public String label() {
			return "refresh_token (rotation)";
		}

		@Override
		public JWSAlgorithm algorithm() {
			return JWSAlgorithm.RS256;
		}

		@Override
		public int signaturesPerGrant() {
			return 2;
		}

		@Override
		public String measured() {
			return "POST /oauth2/token grant_type=refresh_token (client " + Gateway.WEB_CLIENT_ID + ", scope "
					+ Gateway.USER_SCOPE + "): the old refresh token retired, a new access token, ID token and refresh"
					+ " token issued; each connection's chain started by a WeChat website login at set-up";
		}

		@Override
		public Target target() {
			return ratioAtLeast(0.5);
		}

		@Override
		public TokenBench.Sample prepare(BenchSetup setup) throws Exception {
			this.port = setup.port();
			TokenBench.Sample sample = null;
			List<String> users = Users.persons(setup, Math.min(this.connections, 8));
			for (int i = 0; i < this.connections; i++) {
				BenchSetup.Browser browser = setup.signIn(Gateway.WEB_CLIENT_ID, Gateway.USER_SCOPE,
						users.get(i % users.size()));
				BenchSetup.Code code = setup.mintCode(browser, Gateway.WEB_CLIENT_ID, Gateway.USER_SCOPE);
				Map<String, Object> tokens = setup.post("/oauth2/token", Gateway.WEB_CLIENT_ID, Gateway.WEB_CLIENT_SECRET,
						AuthorizationCodes.form(code));
				this.firstTokens.add((String) tokens.get("refresh_token"));
				if (sample == null) {
					sample = TokenBench.verify(setup.gateway(), (String) tokens.get("access_token"), JWSAlgorithm.RS256);
				}
			}
			return sample;
		}

		@Override
		public Script script(int index) {
			String first = this.firstTokens.get(index);
			String basic = Http.basic(Gateway.WEB_CLIENT_ID, Gateway.WEB_CLIENT_SECRET);
			int gatewayPort = this.port;
			return new Script() {

				private String current = first;

				@Override
				public byte[] request() {
					return Http.post(gatewayPort, "/oauth2/token", basic,
							"grant_type=refresh_token&refresh_token=" + Http.form(this.current));
				}

				@Override
				public String accept(int status, byte[] body, int length) {
					String problem = Http.expect(status, body, length, "\"access_token\":\"");
					if (problem != null) {
						return problem;
					}
					String next = Http.stringField(body, length, "refresh_token");
					if (next == null || next.equals(this.current)) {
						return "no new refresh token: " + Http.text(body, length);
					}
					this.current = next;
					return null;
				}
			};
		}

	}

	/**
	 * Authorization-code redemption with PKCE. Codes are minted outside the measured windows, while the load
	 * is paused: signed-in browsers (WeChat website login at set-up) call the authorization endpoint, which
	 * redirects with a code at once (a first-party client, no consent page).
	 */
	static final class AuthorizationCodes implements Workload {

		private final int minters;

		private final Pool pool = new Pool();

		private final List<BenchSetup.Browser> browsers = new ArrayList<>();

		private BenchSetup setup;

		AuthorizationCodes(int connections) {
			this.minters = Math.max(1, Math.min(4, connections));
		}

		@Override
		public String name() {
			return "auth-code";
		}

		@Override
		public String label() {
			return "authorization_code + PKCE";
		}

		@Override
		public JWSAlgorithm algorithm() {
			return JWSAlgorithm.RS256;
		}

		@Override
		public int signaturesPerGrant() {
			return 2;
		}

		@Override
		public String measured() {
			return "POST /oauth2/token grant_type=authorization_code with code_verifier (client " + Gateway.WEB_CLIENT_ID
					+ ", scope " + Gateway.USER_SCOPE + "): access token, ID token, refresh token. Not measured: the"
					+ " logins and the GET /oauth2/authorize that minted the codes (between the windows, load paused)";
		}

		@Override
		public Target target() {
			return Target.NONE;
		}

		@Override
		public boolean pooled() {
			return true;
		}

		static Map<String, String> form(BenchSetup.Code code) {
			Map<String, String> form = new LinkedHashMap<>();
			form.put("grant_type", "authorization_code");
			form.put("code", code.code());
			form.put("redirect_uri", BenchSetup.CALLBACK);
			form.put("code_verifier", code.verifier());
			return form;
		}

		@Override
		public TokenBench.Sample prepare(BenchSetup setup) throws Exception {
			this.setup = setup;
			List<String> users = Users.persons(setup, this.minters);
			for (int i = 0; i < this.minters; i++) {
				this.browsers.add(setup.signIn(Gateway.WEB_CLIENT_ID, Gateway.USER_SCOPE, users.get(i)));
			}
			BenchSetup.Code code = setup.mintCode(this.browsers.getFirst(), Gateway.WEB_CLIENT_ID, Gateway.USER_SCOPE);
			Map<String, Object> tokens = setup.post("/oauth2/token", Gateway.WEB_CLIENT_ID, Gateway.WEB_CLIENT_SECRET,
					form(code));
			return TokenBench.verify(setup.gateway(), (String) tokens.get("access_token"), JWSAlgorithm.RS256);
		}

		@Override
		public void refill(long requests) throws Exception {
			long missing = requests - this.pool.size();
			if (missing <= 0) {
				return;
			}
			String basic = Http.basic(Gateway.WEB_CLIENT_ID, Gateway.WEB_CLIENT_SECRET);
			ExecutorService executor = Executors.newFixedThreadPool(this.minters);
			try {
				List<Future<?>> jobs = new ArrayList<>();
				for (int m = 0; m < this.minters; m++) {
					BenchSetup.Browser browser = this.browsers.get(m);
					long share = missing / this.minters + (m < missing % this.minters ? 1 : 0);
					jobs.add(executor.submit(() -> {
						for (long i = 0; i < share; i++) {
							BenchSetup.Code code = this.setup.mintCode(browser, Gateway.WEB_CLIENT_ID, Gateway.USER_SCOPE);
							StringBuilder body = new StringBuilder();
							form(code).forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
								.append(Http.form(v)));
							this.pool.add(Http.post(this.setup.port(), "/oauth2/token", basic, body.toString()));
						}
						return null;
					}));
				}
				for (Future<?> job : jobs) {
					job.get();
				}
			}
			finally {
				executor.shutdownNow();
			}
		}

		@Override
		public Script script(int index) {
			return this.pool.script("\"access_token\":\"");
		}

	}

	/**
	 * The WeChat mobile-app token exchange (RFC 8693): each request exchanges a fresh WeChat code, minted in
	 * the emulator outside the measured windows, of one of a set of returning people (their accounts were
	 * created at set-up). Measured: the gateway's whole exchange, including its calls to the emulator in this
	 * JVM (the emulator's share of the CPU is part of the cost; a real WeChat would be remote).
	 */
	static final class WechatTokenExchange implements Workload {

		private static final int PEOPLE = 64;

		private final Pool pool = new Pool();

		private final List<String> users = new ArrayList<>();

		private BenchSetup setup;

		private String policyVersion;

		private long minted;

		@Override
		public String name() {
			return "token-exchange";
		}

		@Override
		public String label() {
			return "WeChat token exchange";
		}

		@Override
		public JWSAlgorithm algorithm() {
			return JWSAlgorithm.RS256;
		}

		@Override
		public int signaturesPerGrant() {
			return 2;
		}

		@Override
		public String measured() {
			return "POST /oauth2/token grant_type=urn:ietf:params:oauth:grant-type:token-exchange (client "
					+ Gateway.APP_CLIENT_ID + ", WeChat mobile app, scope " + Gateway.USER_SCOPE + ") for " + PEOPLE
					+ " returning people: the gateway's code exchange with the in-process emulator, account sign-in,"
					+ " consent record, access token, ID token, refresh token. Not measured: minting the WeChat codes";
		}

		@Override
		public Target target() {
			return ratioAtLeast(0.5);
		}

		@Override
		public boolean pooled() {
			return true;
		}

		@Override
		public TokenBench.Sample prepare(BenchSetup setup) throws Exception {
			this.setup = setup;
			this.policyVersion = setup.policyVersion();
			this.users.addAll(Users.persons(setup, PEOPLE));
			Map<String, Object> tokens = setup.tokenExchange(Gateway.APP_CLIENT_ID, Gateway.APP_CLIENT_SECRET,
					this.users.getFirst(), Gateway.USER_SCOPE);
			return TokenBench.verify(setup.gateway(), (String) tokens.get("access_token"), JWSAlgorithm.RS256);
		}

		@Override
		public void refill(long requests) {
			// the emulator logs every call it answers; a long run would keep them all
			this.setup.emulator().control().clearRequests();
			String basic = Http.basic(Gateway.APP_CLIENT_ID, Gateway.APP_CLIENT_SECRET);
			for (long missing = requests - this.pool.size(); missing > 0; missing--) {
				String user = this.users.get((int) (this.minted++ % this.users.size()));
				String code = this.setup.emulator().control().mobileCode(DefaultFixture.MOBILE_APPID, user);
				StringBuilder body = new StringBuilder();
				BenchSetup.tokenExchangeForm(code, Gateway.USER_SCOPE, this.policyVersion)
					.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=').append(Http.form(v)));
				this.pool.add(Http.post(this.setup.port(), "/oauth2/token", basic, body.toString()));
			}
		}

		@Override
		public Script script(int index) {
			return this.pool.script("\"access_token\":\"");
		}

	}

	/** People of the emulator for the workloads, each with an account (and policy consent) in the gateway. */
	static final class Users {

		private Users() {
		}

		/**
		 * {@code count} emulator users {@code bench-N}, added to the emulator once and signed in once by a
		 * token exchange (which creates the account and records the policy consent, so their browser logins
		 * skip the policy dialog).
		 */
		static synchronized List<String> persons(BenchSetup setup, int count) {
			List<String> created = setup.people();
			while (created.size() < count) {
				String id = "bench-" + created.size();
				setup.emulator().control().addUser(new EmulatorConfig.UserConfig(id, "Bench " + created.size(),
						"https://thirdwx.qlogo.cn/mmopen/vi_32/emulator-" + id + "/132",
						String.format(Locale.ROOT, "+86 139%08d", created.size())));
				Map<String, Object> tokens = setup.tokenExchange(Gateway.APP_CLIENT_ID, Gateway.APP_CLIENT_SECRET, id,
						Gateway.USER_SCOPE);
				if (tokens.get("access_token") == null) {
					throw new IllegalStateException("No access token for " + id + ": " + tokens);
				}
				created.add(id);
			}
			return List.copyOf(created.subList(0, count));
		}

	}

}
