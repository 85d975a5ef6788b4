package dev.tongxing.server.breach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.audit.AuditTrail;
import dev.tongxing.server.connector.phone.LogSmsSender;
import dev.tongxing.server.connector.phone.SmsSender;
import dev.tongxing.server.privacy.PersonalDataCatalog;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * PIPL Art. 57: an incident is recorded, the people it touched are selected from the audit trail, notified by SMS
 * and in-app with every field the law lists, each delivery recorded with its time, and the report to the regulator
 * recorded — and a crash in the middle of selecting or sending loses nobody and notifies nobody twice.
 */
class BreachNotificationTest extends BreachTestSupport {

	@Autowired
	SmsSender smsSender;

	@Autowired
	AuditTrail trail;

	@Autowired
	PersonalDataCatalog catalog;

	@Autowired
	TransactionTemplate transaction;

	/** What a node dying looks like to the code it was running: nothing after it runs. */
	static final class Crash extends Error {

		Crash() {
			super("the node stopped", null, false, false);
		}

	}

	@Test
	void recordSelectFromTheAuditTrailNotifyRecordDeliveryAndTheReport() {
		Instant now = this.clock.instant();
		Person alice = person(true);
		Person bob = person(false);
		Person carol = person(true);
		Person dave = person(true);
		entry(alice, "token.issued", now.minus(Duration.ofHours(2)));
		entry(alice, "login.succeeded", now.minus(Duration.ofHours(3)));
		entry(bob, "login.succeeded", now.minus(Duration.ofHours(2)));
		entry(carol, "token.issued", now.minus(Duration.ofDays(10))); // before the window
		entry(dave, "token.issued", "another-client", now.minus(Duration.ofHours(2))); // another client
		entry(dave, "consent.granted", now.minus(Duration.ofHours(2))); // another type

		Breach breach = this.breaches.record(draft(now), "admin");
		assertThat(breach.status()).isEqualTo(Breach.Status.RECORDED);
		Breach.Selection selection = window(now.minus(Duration.ofDays(1)), now);
		assertThat(this.breaches.preview(breach.id(), selection)).isEqualTo(2);
		assertThat(this.breaches.counts(breach.id()).people()).as("a preview writes nothing").isZero();

		assertThat(this.breaches.select(breach.id(), selection, "admin")).isEqualTo(2);
		assertThat(this.breaches.find(breach.id()).orElseThrow().status()).isEqualTo(Breach.Status.SELECTED);
		List<Breaches.Person> people = this.breaches.people(breach.id(), null, 100);
		assertThat(people).extracting(Breaches.Person::accountId).containsExactlyInAnyOrder(alice.id(), bob.id());
		assertThat(people).allSatisfy(p -> assertThat(p.reason()).startsWith("audit #").contains("client " + this.client));
		assertThat(people.stream().filter(p -> p.accountId().equals(alice.id())).findFirst().orElseThrow().reason())
			.as("the first matching entry in the chain is the reason").contains("token.issued");
		// frozen: neither other criteria nor the same ones select again
		assertThatThrownBy(() -> this.breaches.select(breach.id(), selection, "admin"))
			.isInstanceOfSatisfying(BreachException.class, ex -> assertThat(ex.problems().get(0).key()).isEqualTo("selection-frozen"));
		assertThatThrownBy(() -> this.breaches.startNotices("BR-NONE", "admin")).isInstanceOf(BreachException.class);

		Breaches.Counts started = this.breaches.startNotices(breach.id(), "admin");
		assertThat(started.sms()).containsEntry("pending", 2);
		assertThat(started.inApp()).containsEntry("published", 2);
		SmsNotices.Batch batch = this.smsNotices.send();
		assertThat(batch.sent()).isEqualTo(1);
		assertThat(batch.noPhone()).isEqualTo(1);

		// the SMS went to Alice's bound phone, through the gateway's SMS sender, with the whole notice
		LogSmsSender.Delivered sms = ((LogSmsSender) this.smsSender).latestPerPhone()
			.stream()
			.filter(d -> d.phone().equals(alice.phone()))
			.findFirst()
			.orElseThrow();
		assertThat(sms.text()).contains(breach.cause().zh()).contains(breach.remedies().zh()).contains(breach.contact())
			.contains("/account/notices/" + breach.id());
		Map<String, Breaches.Person> byId = this.breaches.people(breach.id(), null, 100)
			.stream()
			.collect(Collectors.toMap(Breaches.Person::accountId, p -> p));
		assertThat(byId.get(alice.id()).smsStatus()).isEqualTo("sent");
		assertThat(byId.get(alice.id()).smsDeliveredAt()).isNotNull();
		assertThat(byId.get(alice.id()).smsAttemptedAt()).isNotNull();
		assertThat(byId.get(bob.id()).smsStatus()).isEqualTo("no-phone");
		assertThat(byId.get(bob.id()).inAppPublishedAt()).isNotNull();

		// in-app: shown on the account page (delivered), then opened (read), each with its time
		assertThat(this.breaches.unreadFor(List.of(bob.id()))).extracting(Breach::id).contains(breach.id());
		assertThat(this.breaches.people(breach.id(), null, 100)
			.stream()
			.filter(p -> p.accountId().equals(bob.id()))
			.findFirst()
			.orElseThrow()
			.inAppShownAt()).isNotNull();
		assertThat(this.breaches.open(breach.id(), List.of(bob.id()))).isPresent();
		assertThat(this.breaches.open(breach.id(), List.of(carol.id()))).as("not one of the people").isEmpty();
		assertThat(this.breaches.unreadFor(List.of(bob.id()))).extracting(Breach::id).doesNotContain(breach.id());
		Breaches.Counts counts = this.breaches.counts(breach.id());
		assertThat(counts.sms()).containsEntry("sent", 1).containsEntry("no-phone", 1);
		assertThat(counts.inApp()).containsEntry("read", 1).containsEntry("published", 1);

		Instant reportedAt = now.minus(Duration.ofMinutes(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		Breaches.Report report = this.breaches.report(breach.id(), reportedAt, "国家互联网信息办公室", "CAC-2026-0042", "admin");
		assertThat(this.breaches.reports(breach.id())).containsExactly(report);
		assertThat(report.reportedAt()).isEqualTo(reportedAt);
		assertThat(report.reportedBy()).isEqualTo("admin");

		// every change is in the audit log, with the operator as actor; each delivery with the person as subject
		List<String> operatorEntries = this.jdbc.sql("""
				SELECT type FROM audit_entry WHERE actor = 'admin:admin' AND details LIKE :b ORDER BY seq""")
			.param("b", "%" + breach.id() + "%")
			.query(String.class)
			.list();
		assertThat(operatorEntries).containsExactly("breach.recorded", "breach.selected", "breach.selected",
				"breach.notices-started", "breach.reported");
		assertThat(this.trail.about(alice.id())).anySatisfy(e -> {
			assertThat(e.type()).isEqualTo("breach.notice-delivery");
			assertThat(e.details()).containsEntry("channel", "sms").containsEntry("outcome", "sent");
		});
		assertThat(this.trail.about(bob.id())).filteredOn(e -> e.type().equals("breach.notice-delivery"))
			.extracting(e -> e.details().get("outcome"))
			.contains("no-phone", "shown", "read");
		// the incidents' own entries never select anyone for a later incident
		Breach later = this.breaches.record(draft(now), "admin");
		assertThatThrownBy(() -> this.breaches.preview(later.id(), new Breach.Selection(now.minus(Duration.ofDays(1)),
				now.plusSeconds(60), List.of("breach.notice-delivery"), List.of(), List.of())))
			.isInstanceOfSatisfying(BreachException.class, ex -> assertThat(ex.problems().get(0).key()).isEqualTo("event-type"));
	}

	@Test
	void nobodyIsNotifiedTwiceAfterACrashWhileSelectingOrSending() {
		Instant now = this.clock.instant();
		List<Person> people = List.of(person(true), person(true), person(true), person(true));
		people.forEach(p -> entry(p, "token.issued", now.minus(Duration.ofHours(1))));
		Breach breach = this.breaches.record(draft(now), "admin");
		Breach.Selection selection = window(now.minus(Duration.ofDays(1)), now);

		// the node dies while selecting, after the first person
		AtomicInteger looks = new AtomicInteger();
		Breaches crashing = new Breaches(this.jdbc, this.transaction, this.audit, this.trail,
				accountsThat(() -> looks.incrementAndGet() == 2), this.catalog, this.properties, this.clock,
				this.minors);
		assertThatThrownBy(() -> crashing.select(breach.id(), selection, "admin")).isInstanceOf(Crash.class);
		assertThat(this.breaches.find(breach.id()).orElseThrow().status()).isEqualTo(Breach.Status.SELECTING);
		assertThat(this.breaches.counts(breach.id()).people()).isEqualTo(1);
		assertThatThrownBy(() -> this.breaches.select(breach.id(), window(now.minus(Duration.ofDays(2)), now), "admin"))
			.as("another node cannot change the criteria half-way").isInstanceOf(BreachException.class);
		// confirmed again (without criteria: those frozen are used): everyone, once
		assertThat(this.breaches.select(breach.id(), null, "admin")).isEqualTo(4);
		assertThat(this.breaches.people(breach.id(), null, 100)).extracting(Breaches.Person::accountId)
			.containsExactlyInAnyOrderElementsOf(people.stream().map(Person::id).toList());

		this.breaches.startNotices(breach.id(), "admin");
		List<String> handedToProvider = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger sends = new AtomicInteger();
		SmsNotices dying = notices((phone, text) -> {
			handedToProvider.add(phone);
			if (sends.incrementAndGet() == 2) {
				throw new Crash(); // the provider took it; the node died before writing that down
			}
			return new NoticeSms.Sent();
		});
		assertThatThrownBy(dying::send).isInstanceOf(Crash.class);
		assertThat(handedToProvider).hasSize(2);

		// restarted at once: the dead node's claims are not yet stale, so nothing is sent twice
		SmsNotices restarted = notices((phone, text) -> {
			handedToProvider.add(phone);
			return new NoticeSms.Sent();
		});
		restarted.recover();
		assertThat(restarted.send().sent()).isZero();
		assertThat(handedToProvider).hasSize(2);

		// once stale: the message being sent is uncertain (never resent), those never tried go out
		this.clock.advance(this.properties.sms().staleAfter().plusMinutes(1));
		assertThat(restarted.recover()).isEqualTo(1);
		assertThat(restarted.send().sent()).isEqualTo(2);
		assertThat(restarted.send().sent()).isZero();
		// the operator's "send the notices" again re-queues only those known not sent
		this.breaches.startNotices(breach.id(), "admin");
		restarted.send();
		assertThat(handedToProvider).hasSize(4)
			.doesNotHaveDuplicates()
			.containsExactlyInAnyOrderElementsOf(people.stream().map(Person::phone).toList());
		Breaches.Counts counts = this.breaches.counts(breach.id());
		assertThat(counts.sms()).containsEntry("sent", 3).containsEntry("uncertain", 1);
		assertThat(this.breaches.people(breach.id(), null, 100)).filteredOn(p -> p.smsStatus().equals("uncertain"))
			.singleElement()
			.satisfies(p -> assertThat(p.smsFailure()).contains("perhaps delivered"));
	}

	@Test
	void aRefusedOrThrottledSmsIsKnownNotSentAndGoesOutLater() {
		Instant now = this.clock.instant();
		Person one = person(true);
		Person two = person(true);
		entry(one, "token.issued", now.minus(Duration.ofHours(1)));
		entry(two, "token.issued", now.minus(Duration.ofHours(1)));
		Breach breach = this.breaches.record(draft(now), "admin");
		this.breaches.select(breach.id(), window(now.minus(Duration.ofDays(1)), now), "admin");
		this.breaches.startNotices(breach.id(), "admin");
		List<String> sent = new ArrayList<>();
		SmsNotices throttled = notices((phone, text) -> new NoticeSms.Throttled("LimitExceeded"));
		assertThat(throttled.send().givenBack()).isEqualTo(2);
		assertThat(this.breaches.counts(breach.id()).sms()).containsEntry("pending", 2);
		SmsNotices refusing = notices((phone, text) -> new NoticeSms.Refused("number cannot receive SMS"));
		assertThat(refusing.send().failed()).isEqualTo(2);
		assertThat(this.breaches.counts(breach.id()).sms()).containsEntry("failed", 2);
		this.breaches.startNotices(breach.id(), "admin");
		notices((phone, text) -> {
			sent.add(phone);
			return new NoticeSms.Sent();
		}).send();
		assertThat(sent).containsExactlyInAnyOrder(one.phone(), two.phone());
	}

	@Test
	void theNoticeInChineseAndEnglishCarriesEveryFieldTheLawLists() {
		Breach breach = this.breaches.record(draft(this.clock.instant()), "admin");
		String phoneZh = this.catalog.item("phone-number").orElseThrow().name().zh();
		String phoneEn = this.catalog.item("phone-number").orElseThrow().name().en();
		NoticeTexts.Notice zh = this.texts.notice(breach, Locale.SIMPLIFIED_CHINESE);
		NoticeTexts.Notice en = this.texts.notice(breach, Locale.ENGLISH);
		List<String> fields = List.of("categories", "what", "cause", "harm", "measures", "remedies", "contact");
		assertThat(zh.parts()).extracting(NoticeTexts.Part::field).containsExactlyElementsOf(fields);
		assertThat(en.parts()).extracting(NoticeTexts.Part::field).containsExactlyElementsOf(fields);
		Map<String, NoticeTexts.Part> z = zh.parts().stream().collect(Collectors.toMap(NoticeTexts.Part::field, p -> p));
		Map<String, NoticeTexts.Part> e = en.parts().stream().collect(Collectors.toMap(NoticeTexts.Part::field, p -> p));
		// the categories of personal information, as the catalogue names them
		assertThat(z.get("categories").label()).isEqualTo("涉及的个人信息种类");
		assertThat(z.get("categories").text()).contains(phoneZh);
		assertThat(e.get("categories").label()).isEqualTo("Personal information involved");
		assertThat(e.get("categories").text()).contains(phoneEn);
		// the cause and the possible harm
		assertThat(z.get("cause").label()).isEqualTo("原因");
		assertThat(z.get("cause").text()).isEqualTo(breach.cause().zh());
		assertThat(z.get("harm").label()).isEqualTo("可能造成的危害");
		assertThat(z.get("harm").text()).isEqualTo(breach.harm().zh());
		assertThat(e.get("cause").text()).isEqualTo(breach.cause().en());
		assertThat(e.get("harm").label()).isEqualTo("Possible harm");
		assertThat(e.get("harm").text()).isEqualTo(breach.harm().en());
		// the remedial measures taken by the handler; what the person can do; the handler's contact
		assertThat(z.get("measures").label()).contains("补救措施");
		assertThat(z.get("measures").text()).isEqualTo(breach.measures().zh());
		assertThat(z.get("remedies").label()).contains("减轻危害");
		assertThat(z.get("remedies").text()).isEqualTo(breach.remedies().zh());
		assertThat(z.get("contact").label()).isEqualTo("联系方式");
		assertThat(e.get("measures").label()).isEqualTo("Measures we have taken");
		assertThat(e.get("measures").text()).isEqualTo(breach.measures().en());
		assertThat(e.get("remedies").label()).isEqualTo("What you can do to reduce the harm");
		assertThat(e.get("remedies").text()).isEqualTo(breach.remedies().en());
		assertThat(e.get("contact").text()).isEqualTo(breach.contact());
		assertThat(zh.title()).contains("个人信息安全事件");
		assertThat(en.title()).contains("personal-information incident");
		// the SMS carries every part too
		String sms = this.texts.sms(breach);
		for (NoticeTexts.Part part : zh.parts()) {
			assertThat(sms).contains(part.label() + "：" + part.text());
		}
	}

	private SmsNotices notices(NoticeSms sms) {
		return new SmsNotices(this.jdbc, this.breaches, this.texts, this.accounts, sms, this.audit, this.properties,
				this.clock);
	}

	/** The account store, except that it stops the node when {@code crashNow} says so. */
	private AccountService accountsThat(java.util.function.BooleanSupplier crashNow) {
		return (AccountService) Proxy.newProxyInstance(AccountService.class.getClassLoader(),
				new Class<?>[] { AccountService.class }, (proxy, method, args) -> {
					if (method.getName().equals("status") && crashNow.getAsBoolean()) {
						throw new Crash();
					}
					try {
						return method.invoke(this.accounts, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

}
