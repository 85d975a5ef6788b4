package dev.tongxing.server.connector.phone;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The notices a template-only provider (Tencent, Aliyun) carries once the operator has registered a template for
 * each ({@code tongxing.sms.<provider>.notice-templates.<name>}): the kind's name — also the message's
 * {@link SmsMessage#template()}, as the webhook receives it — and the values its template takes, in this order
 * (Tencent's {@code {1}}, {@code {2}}…) and by these names (Aliyun's {@code ${date}}…). The values are short on
 * purpose: Tencent allows a variable 12 characters on an individual account (6 on older ones), Aliyun's notification
 * variables 35; neither takes a link as a variable, so each template has its link as fixed text.
 */
enum NoticeKind {

	/** A personal-data incident (PIPL Art. 57): the day it was found ({@code 2026-12-12}) and its id. */
	BREACH(BreachNoticeSms.TEMPLATE, "date", "incident"),

	/**
	 * To the old number, that a change of the account's number was asked for: the day and time it takes effect
	 * ({@code 2026-12-12}, {@code 08:00}, Beijing time) and the last four digits of the new number.
	 */
	PHONE_CHANGE(SmsMessage.NOTICE, "date", "time", "tail"),

	/** A deletion of the account the person did not ask for: the day it will be carried out ({@code 2026-12-12}). */
	DELETION("deletion-notice", "date");

	private final String template;

	private final List<String> params;

	NoticeKind(String template, String... params) {
		this.template = template;
		this.params = List.of(params);
	}

	String template() {
		return this.template;
	}

	/** The names of the template's values, in the order Tencent's template numbers them. */
	List<String> params() {
		return this.params;
	}

	static Optional<NoticeKind> of(String template) {
		return Arrays.stream(values()).filter(kind -> kind.template.equals(template)).findFirst();
	}

	static List<String> names() {
		return Arrays.stream(values()).map(NoticeKind::template).toList();
	}

	/** The notice to {@code phone}: {@code text} for providers that send text, the values for those with templates. */
	SmsMessage message(String phone, String text, String... values) {
		if (values.length != this.params.size()) {
			throw new IllegalArgumentException(this.template + " takes " + this.params + ", got " + values.length + " values");
		}
		Map<String, String> params = new LinkedHashMap<>();
		for (int i = 0; i < values.length; i++) {
			if (values[i] == null || values[i].isBlank()) {
				// a provider refuses an empty variable, and the person would read a gap
				throw new IllegalArgumentException(this.template + ": no value for " + this.params.get(i));
			}
			params.put(this.params.get(i), values[i]);
		}
		return new SmsMessage(phone, null, text, this.template, params);
	}

}
