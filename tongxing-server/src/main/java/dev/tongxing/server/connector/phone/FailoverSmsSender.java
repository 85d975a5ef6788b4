package dev.tongxing.server.connector.phone;

import dev.tongxing.server.login.LoginFailureCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several SMS providers in priority order ({@code tongxing.sms.providers}): a message goes to the first healthy
 * one (a provider demoted for its undelivered messages goes after the healthy ones, a provider whose circuit breaker
 * is open goes last), and to the next at once when a provider is known not
 * to have sent it — it refused, answered an error, was unreachable, or our guard did not call it. A provider
 * that may have sent it (it timed out, or the connection broke mid-request) is not followed by another, so
 * nobody gets two codes for one request; nor is a number the provider says is no mobile number.
 */
class FailoverSmsSender implements SmsSender {

	private static final Logger log = LoggerFactory.getLogger(FailoverSmsSender.class);

	/** How the guard and the senders name a failure that happened before anything was sent. */
	private static final Set<String> NOT_SENT = Set.of("refused", "http_status", "circuit_open", "bulkhead_full");

	private final List<SmsSender> providers;

	/** Whether a provider's circuit breaker lets calls through now. */
	private final Predicate<String> healthy;

	/** Whether a provider's messages stopped arriving (its delivery receipts say so, see SmsDeliveryHealth). */
	private final Predicate<String> demoted;

	private final MeterRegistry meters;

	FailoverSmsSender(List<SmsSender> providers, Predicate<String> healthy, MeterRegistry meters) {
		this(providers, healthy, name -> false, meters);
	}

	FailoverSmsSender(List<SmsSender> providers, Predicate<String> healthy, Predicate<String> demoted,
			MeterRegistry meters) {
		if (providers.size() < 2) {
			throw new IllegalArgumentException("fail-over needs at least two providers");
		}
		this.providers = List.copyOf(providers);
		this.healthy = healthy;
		this.demoted = demoted;
		this.meters = meters;
	}

	/**
	 * The providers, healthy ones first, then the demoted ones (they answer, but their messages may not arrive), then
	 * those whose breaker is open (they would not even be called); each group in priority order.
	 */
	List<SmsSender> order() {
		List<SmsSender> order = new ArrayList<>();
		for (int rank = 0; rank < 3; rank++) {
			for (SmsSender provider : this.providers) {
				if (rank(provider.name()) == rank) {
					order.add(provider);
				}
			}
		}
		return order;
	}

	private int rank(String provider) {
		if (!this.healthy.test(provider)) {
			return 2;
		}
		return this.demoted.test(provider) ? 1 : 0;
	}

	/** Only when every provider does: any of them may be the one that sends. */
	@Override
	public boolean takesText() {
		return this.providers.stream().allMatch(SmsSender::takesText);
	}

	/** When any provider does: the notice is offered to those alone. */
	@Override
	public boolean sends(String kind) {
		return this.providers.stream().anyMatch(provider -> provider.sends(kind));
	}

	@Override
	public void send(SmsMessage message) {
		// a notice goes only to the providers that can send its kind, in the usual order
		List<SmsSender> order = order().stream().filter(provider -> SmsSender.carries(provider, message)).toList();
		if (order.isEmpty()) {
			throw new SmsDeliveryException("no provider sends " + message.template());
		}
		SmsDeliveryException last = null;
		for (int i = 0; i < order.size(); i++) {
			SmsSender provider = order.get(i);
			try {
				provider.send(message);
				if (last != null) {
					Counter.builder("tongxing_sms_failover_total")
						.description("Text messages sent by a later provider after an earlier one was known not to send")
						.tag("to", provider.name())
						.register(this.meters)
						.increment();
				}
				return;
			}
			catch (SmsDeliveryException ex) {
				last = new SmsDeliveryException(provider.name() + ": " + ex.getMessage(), ex, provider.name());
				if (!knownNotSent(ex) || i == order.size() - 1) {
					throw last;
				}
				log.warn("SMS provider {} did not send ({}): trying {}", provider.name(), ex.upstreamError(),
						order.get(i + 1).name());
			}
		}
		throw last;
	}

	/** Whether the provider certainly did not send the message, and another provider may. */
	static boolean knownNotSent(SmsDeliveryException failure) {
		if (failure.failureCause() == LoginFailureCause.USER_INPUT) {
			return false; // the number, not the provider
		}
		if ("network".equals(failure.upstreamError())) {
			return failure.getCause() instanceof ConnectException;
		}
		return NOT_SENT.contains(failure.upstreamError()) || failure.providerCode();
	}

	/** The one phone method's name in records: which provider failed is in the failure's own code. */
	@Override
	public String name() {
		return "sms";
	}

	/** The failure already names its provider. */
	@Override
	public String failureRecord(SmsDeliveryException failure) {
		return failure.upstreamError();
	}

	@Override
	public Map<String, Runnable> probes() {
		Map<String, Runnable> probes = new LinkedHashMap<>();
		this.providers.forEach(p -> probes.putAll(p.probes()));
		return probes;
	}

	List<String> providerNames() {
		return this.providers.stream().map(SmsSender::name).toList();
	}

}
