package dev.tongxing.server.ops;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Incidents for operators: list them, and post public updates to their timelines. */
@RestController
class IncidentAdminController {

	private final Incidents incidents;

	private final Clock clock;

	IncidentAdminController(Incidents incidents, Clock clock) {
		this.incidents = incidents;
		this.clock = clock;
	}

	record PublicUpdate(String message) {
	}

	@GetMapping("/admin/api/ops/incidents")
	List<Incident> incidents() {
		return this.incidents.since(this.clock.instant().minus(Duration.ofDays(90)));
	}

	/** Body {@code {"message": "…"}}: shown as is on the status page and in the feed, in the operator's words. */
	@PostMapping("/admin/api/ops/incidents/{id}/updates")
	@ResponseStatus(HttpStatus.CREATED)
	Incident addUpdate(@PathVariable long id, @RequestBody PublicUpdate update) {
		String message = update == null || update.message() == null ? "" : update.message().strip();
		if (message.isEmpty() || message.length() > 2000) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "message: 1 to 2000 characters");
		}
		this.incidents.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		this.incidents.addUpdate(id, "update", message, this.clock.instant());
		return this.incidents.find(id).orElseThrow();
	}

	@GetMapping("/admin/api/ops/incidents/{id}")
	Incident incident(@PathVariable long id) {
		return this.incidents.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

}
