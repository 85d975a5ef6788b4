package dev.tongxing.server.deletion;

import dev.tongxing.server.kernel.PersonalDataSection;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The person's deletion requests, in their copy of their data. */
@Component
@Order(6)
class DeletionRequestsSection implements PersonalDataSection {

	private final DeletionRequests requests;

	DeletionRequestsSection(DeletionRequests requests) {
		this.requests = requests;
	}

	@Override
	public String name() {
		return "deletion_requests";
	}

	@Override
	public Object export(String userId) {
		return this.requests.all(userId);
	}

}
