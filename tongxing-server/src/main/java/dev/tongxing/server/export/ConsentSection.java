package dev.tongxing.server.export;

import dev.tongxing.server.kernel.PersonalDataSection;
import dev.tongxing.server.consent.ConsentRecords;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Every consent decision: policy version and text hash, purposes, data, recipient, method. */
@Component
@Order(3)
class ConsentSection implements PersonalDataSection {

	private final ConsentRecords records;

	ConsentSection(ConsentRecords records) {
		this.records = records;
	}

	@Override
	public String name() {
		return "consent_records";
	}

	@Override
	public Object export(String userId) {
		return this.records.history(userId);
	}

}
