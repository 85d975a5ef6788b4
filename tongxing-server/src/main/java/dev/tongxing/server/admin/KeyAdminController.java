package dev.tongxing.server.admin;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.oidc.keys.SigningKeys;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Signing-key rotation for operators. */
@RestController
@RequestMapping("/admin/api/keys")
class KeyAdminController {

	private final SigningKeys keys;

	private final AuditLog audit;

	KeyAdminController(SigningKeys keys, AuditLog audit) {
		this.keys = keys;
		this.audit = audit;
	}

	@GetMapping
	Map<String, Object> keys() {
		List<String> published = this.keys.publicKeys().getKeys().stream().map(k -> k.getKeyID()).toList();
		return Map.of("active", this.keys.activeKeyId(), "published", published);
	}

	@PostMapping("/rotate")
	Map<String, Object> rotate(Principal operator) {
		String previous = this.keys.activeKeyId();
		String active = this.keys.rotate();
		this.audit.record(AuditEntry.of(AuditTypes.ADMIN_KEYS_ROTATED)
			.actor("admin:" + operator.getName())
			.detail("retired_kid", previous)
			.detail("active_kid", active));
		return Map.of("active", active);
	}

}
