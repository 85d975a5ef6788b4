package dev.tongxing.server.ops;

import java.util.Collection;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The probes' newest results for operators, and a way to run them now. */
@RestController
class ProbeAdminController {

	private final AvailabilityProbes probes;

	ProbeAdminController(AvailabilityProbes probes) {
		this.probes = probes;
	}

	@GetMapping("/admin/api/ops/probes")
	Collection<AvailabilityProbes.ProbeResult> latest() {
		return this.probes.latest().values();
	}

	@PostMapping("/admin/api/ops/probes/run")
	Collection<AvailabilityProbes.ProbeResult> run() {
		return this.probes.runAll();
	}

}
