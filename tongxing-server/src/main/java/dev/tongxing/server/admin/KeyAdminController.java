package dev.tongxing.server.admin;

import dev.tongxing.server.oidc.keys.SigningKeys;
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

	KeyAdminController(SigningKeys keys) {
		this.keys = keys;
	}

	@GetMapping
	Map<String, Object> keys() {
		List<String> published = this.keys.publicKeys().getKeys().stream().map(k -> k.getKeyID()).toList();
		return Map.of("active", this.keys.activeKeyId(), "published", published);
	}

	@PostMapping("/rotate")
	Map<String, Object> rotate() {
		return Map.of("active", this.keys.rotate());
	}

}
