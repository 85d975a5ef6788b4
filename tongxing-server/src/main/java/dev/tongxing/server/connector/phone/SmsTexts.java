package dev.tongxing.server.connector.phone;

import java.time.Duration;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/** The words of the SMS, in the language of the page that asked for it. */
@Component
class SmsTexts {

	private final MessageSource messages;

	SmsTexts(MessageSource messages) {
		this.messages = messages;
	}

	String verificationCode(String code, Duration ttl) {
		var locale = LocaleContextHolder.getLocale();
		String app = this.messages.getMessage("app.name", null, "Tongxing", locale);
		return this.messages.getMessage("phone.sms.text", new Object[] { code, app, ttl.toMinutes() }, locale);
	}

}
