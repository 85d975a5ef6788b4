package dev.tongxing.server.ratelimit;

import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.ops.DependencyIncidents;
import io.github.bucket4j.TimeMeter;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The rate limits' beans: buckets on Redis when {@code spring.data.redis.host} or {@code .url} is set, else in
 * each node's memory — said in the start-up log.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ RateLimitProperties.class, PeopleLimitProperties.class })
class RateLimitConfig {

	private static final Logger log = LoggerFactory.getLogger(RateLimitConfig.class);

	@Bean
	Buckets rateLimitBuckets(RateLimitProperties properties, Environment environment, DependencyIncidents incidents,
			MeterRegistry meters, ObjectProvider<TimeMeter> timeMeter, Clock clock) {
		// the buckets' time: the gateway's wall clock, the one time all nodes share (tests may move or hold it)
		TimeMeter time = timeMeter.getIfAvailable(() -> new ClockTimeMeter(clock));
		RedisURI uri = redisUri(environment);
		if (uri == null) {
			log.info("Rate limits: enforced per node, in memory (no spring.data.redis.* configured); "
					+ "with N nodes a client may get up to N times its limit");
			return new LocalBuckets(time);
		}
		log.info("Rate limits: shared by all nodes on Redis {}:{} (keys '{}:*'); while Redis is unreachable: {}",
				uri.getHost(), uri.getPort(), properties.redisKeyPrefix(),
				properties.redisUnavailable() == RateLimitProperties.RedisUnavailable.REFUSE ? "refuse"
						: "per node");
		return new RedisBuckets(uri, properties, incidents, meters, time);
	}

	@Bean
	ClientRateLimiter clientRateLimiter(RateLimitProperties properties, Buckets buckets) {
		return new ClientRateLimiter(properties, buckets);
	}

	@Bean
	RateLimitedReporting rateLimitedReporting(MeterRegistry meters, AuditLog audit, Clock clock, Buckets buckets) {
		return new RateLimitedReporting(meters, audit, clock, buckets);
	}

	@Bean
	@ConditionalOnProperty(name = "tongxing.rate-limits.enabled", havingValue = "true", matchIfMissing = true)
	ClientRateLimitFilter clientRateLimitFilter(ClientRateLimiter limiter, RegisteredClientRepository clients,
			RateLimitedReporting reporting, MeterRegistry meters) {
		return new ClientRateLimitFilter(limiter, clients, reporting, meters);
	}

	/** The filter runs inside the authorization server's chain only, never as a servlet filter of its own. */
	@Bean
	@ConditionalOnProperty(name = "tongxing.rate-limits.enabled", havingValue = "true", matchIfMissing = true)
	FilterRegistrationBean<ClientRateLimitFilter> clientRateLimitFilterRegistration(ClientRateLimitFilter filter) {
		FilterRegistrationBean<ClientRateLimitFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setEnabled(false);
		return registration;
	}

	@Bean
	PeopleLimits peopleLimits(Buckets buckets, PeopleLimitProperties properties, Environment environment, Clock clock,
			MeterRegistry meters, org.springframework.beans.factory.ObjectProvider<SmsChallenge> captcha) {
		String masterKey = environment.getRequiredProperty("tongxing.keys.master-key");
		// a key of its own for the challenges and the people's bucket keys, derived from the master key
		byte[] key = java.util.HexFormat.of().parseHex(dev.tongxing.server.crypto.Digests.hmacSha256Hex(
				java.util.Base64.getDecoder().decode(masterKey.trim()), "tongxing/rate-limits/people/v1"));
		return new PeopleLimits(buckets, properties,
				new ProofOfWork(key, clock, properties.challengeDifficulty(), properties.challengeTtl()),
				captcha.getIfAvailable(), clock, meters);
	}

	/**
	 * Bucket4j's time from the gateway's {@link Clock}, in milliseconds, that never runs backwards: a clock
	 * moved forward (tests) moves the buckets on; moved back, they go on from where they were, since a bucket
	 * that saw the future would otherwise not refill until real time caught up. The system clock's own
	 * offset is 0, so every node reads the wall clock, the one time they share on Redis.
	 */
	static final class ClockTimeMeter implements TimeMeter {

		private final Clock clock;

		private final java.util.concurrent.atomic.AtomicLong furthestOffset = new java.util.concurrent.atomic.AtomicLong();

		ClockTimeMeter(Clock clock) {
			this.clock = clock;
		}

		@Override
		public long currentTimeNanos() {
			long real = System.currentTimeMillis();
			long offset = this.clock.millis() - real;
			long furthest = this.furthestOffset.get();
			if (offset > furthest) {
				furthest = this.furthestOffset.accumulateAndGet(offset, Math::max);
			}
			return (real + furthest) * 1_000_000L;
		}

		@Override
		public boolean isWallClockBased() {
			return true;
		}

	}

	/** Spring Boot's own keys, so one Redis configuration serves everything that uses Redis. */
	static RedisURI redisUri(Environment environment) {
		String url = environment.getProperty("spring.data.redis.url");
		String host = environment.getProperty("spring.data.redis.host");
		if ((url == null || url.isBlank()) && (host == null || host.isBlank())) {
			return null;
		}
		RedisURI uri = url != null && !url.isBlank() ? RedisURI.create(url)
				: RedisURI.builder()
					.withHost(host)
					.withPort(environment.getProperty("spring.data.redis.port", Integer.class, 6379))
					.withDatabase(environment.getProperty("spring.data.redis.database", Integer.class, 0))
					.withSsl(environment.getProperty("spring.data.redis.ssl.enabled", Boolean.class, false))
					.build();
		String password = environment.getProperty("spring.data.redis.password");
		if (password != null && !password.isEmpty() && url == null) {
			String username = environment.getProperty("spring.data.redis.username");
			if (username != null && !username.isEmpty()) {
				uri.setUsername(username);
			}
			uri.setPassword(password.toCharArray());
		}
		return uri;
	}

}
