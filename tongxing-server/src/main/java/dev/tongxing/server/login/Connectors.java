package dev.tongxing.server.login;

import dev.tongxing.server.account.SignInMethods;
import dev.tongxing.server.login.spi.Connector;
import dev.tongxing.server.login.spi.ConnectorSource;
import dev.tongxing.server.login.spi.FailureAdvice;
import dev.tongxing.server.login.spi.NativeConnector;
import dev.tongxing.server.login.spi.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Every connector in the context, as the core knows them: by their declarations only. Connectors are asked
 * afresh on each use (their state changes live: a breaker opens, a provider is configured), and their
 * configuration is checked once the context is up, so a gateway with a misconfigured connector does not
 * start.
 */
@Component
public class Connectors implements SignInMethods, SmartInitializingSingleton {

	private final ObjectProvider<ConnectorSource> sources;

	Connectors(ObjectProvider<ConnectorSource> sources) {
		this.sources = sources;
	}

	public List<Connector> all() {
		return this.sources.orderedStream().flatMap(source -> source.connectors().stream()).toList();
	}

	public Optional<Connector> find(String id) {
		return all().stream().filter(c -> c.id().equals(id)).findFirst();
	}

	/** The native connector that takes this {@code subject_token_type} at the token endpoint. */
	public Optional<NativeConnector> nativeFor(String subjectTokenType) {
		return all().stream()
			.filter(NativeConnector.class::isInstance)
			.map(NativeConnector.class::cast)
			.filter(c -> c.subjectTokenType().equals(subjectTokenType))
			.findFirst();
	}

	public List<LoginMethod> loginMethods() {
		return all().stream().flatMap(c -> c.loginMethods().stream()).toList();
	}

	public List<Probe> probes() {
		return all().stream().flatMap(c -> c.probes().stream()).toList();
	}

	/** The advice of the connector behind this login method; none for a method no connector declares. */
	public FailureAdvice failureAdvice(String method) {
		return find(method).map(Connector::failureAdvice).orElse(FailureAdvice.NONE);
	}

	/** Every connector's advice, for records that do not say which method failed. */
	public List<FailureAdvice> failureAdvice() {
		return all().stream().map(Connector::failureAdvice).toList();
	}

	@Override
	public Optional<Method> methodOf(String provider) {
		return all().stream()
			.filter(c -> c.identities().owns(provider))
			.findFirst()
			.map(c -> new Method(c.id(), c.labels().accountKey(), c.identities().oneEntry(), c.identities().detail()));
	}

	@Override
	public Optional<String> labelKeyOfMethod(String method) {
		return find(method).map(c -> c.labels().accountKey());
	}

	@Override
	public List<Link> links() {
		return all().stream()
			.filter(Connector::enabled)
			.flatMap(c -> c.accountLink().stream())
			.map(l -> new Link(l.provider(), l.labelKey(), l.href(), l.action(), l.repeatable(), l.changeLabelKey(),
					l.changeAction()))
			.toList();
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<String> problems = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (Connector connector : all()) {
			if (ids.contains(connector.id())) {
				problems.add("two connectors have the id " + connector.id());
			}
			ids.add(connector.id());
			connector.configurationProblems().forEach(p -> problems.add(connector.id() + ": " + p));
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Login connectors are misconfigured: " + String.join("; ", problems));
		}
	}

}
