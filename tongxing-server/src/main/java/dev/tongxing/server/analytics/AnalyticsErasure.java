package dev.tongxing.server.analytics;

import dev.tongxing.server.crypto.PersonalDataCipher;
import dev.tongxing.server.kernel.ErasureParticipant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A deleted account leaves the retention cohorts: its pseudonymous row goes, and the cohort counts no longer
 * count it (the login counts, which hold no one, stay).
 */
@Component
class AnalyticsErasure implements ErasureParticipant {

	private final JdbcClient jdbc;

	private final PersonalDataCipher cipher;

	private final LoginAnalytics analytics;

	private final CohortCounts cohorts;

	AnalyticsErasure(JdbcClient jdbc, PersonalDataCipher cipher, LoginAnalytics analytics, CohortCounts cohorts) {
		this.cohorts = cohorts;
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
		while (true) {
			var person = this.jdbc.sql("SELECT first_day, first_method, last_day FROM analytics_person WHERE pid = :pid")
				.param("pid", pid)
				.query((rs, i) -> new Object[] { rs.getLong(1), rs.getString(2), rs.getLong(3) })
				.optional();
			if (person.isEmpty()) {
				return;
			}
			Object[] p = person.get();
			// as read: a flush moving the last day meanwhile makes this delete nothing, and it is read again
			if (this.jdbc.sql("DELETE FROM analytics_person WHERE pid = :pid AND last_day = :was")
				.param("pid", pid).param("was", p[2]).update() == 1) {
				this.cohorts.left((Long) p[0], (String) p[1], (Long) p[2]);
				return;
			}
		}
	}

}
