package dev.tongxing.server.consent;

import java.security.Principal;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import tools.jackson.databind.json.JsonMapper;

/** Downloads of a person's consent receipts (JSON), one per consent record, from {@code /account/consents}. */
@Controller
class ConsentReceiptController {

	private final ConsentReceipts receipts;

	private final JsonMapper json;

	ConsentReceiptController(ConsentReceipts receipts, JsonMapper json) {
		this.receipts = receipts;
		this.json = json;
	}

	@GetMapping(path = "/account/consents/receipts/{id}.json")
	ResponseEntity<String> receipt(Principal principal, @PathVariable String id) {
		return this.receipts.receipt(principal.getName(), id)
			.map(receipt -> ResponseEntity.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"consent-receipt-" + id + ".json\"")
				.body(this.json.writerWithDefaultPrettyPrinter().writeValueAsString(receipt)))
			// a link clicked in a browser asks for HTML first: the body is written as JSON whatever it accepts
			.orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"error\":\"not_found\"}"));
	}

}
