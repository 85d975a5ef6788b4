package dev.tongxing.server.analytics;

import dev.tongxing.server.crypto.PersonalDataCipher;
import dev.tongxing.server.kernel.ErasureParticipant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A deleted account leaves the retention cohorts (the counts, which hold no one, stay). */
@Component
class AnalyticsErasure implements ErasureParticipant {

	private final JdbcClient jdbc;

	private final PersonalDataCipher cipher;

	private final LoginAnalytics analytics;

	AnalyticsErasure(JdbcClient jdbc, PersonalDataCipher cipher, LoginAnalytics analytics) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.analytics = analytics;
	}

	@Override
	public String name() {
		return "analytics";
	}

	@Override
	public void erase(String userId) {
		String pid = this.cipher.lookupHash(LoginAnalytics.PSEUDONYM_PURPOSE, userId);
		this.analytics.forget(pid);
		this.jdbc.sql("DELETE FROM analytics_person WHERE pid = :pid").param("pid", pid).update();
	}

}
