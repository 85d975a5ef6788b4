package dev.tongxing.server.console;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /admin/api/operators}: the operators granted in the database, and setting an account's roles
 * ({@code PUT} needs an admin: the chain lets changes through only for Basic operators and
 * {@code tongxing.admin.write} tokens).
 */
@RestController
class OperatorAdminController {

	private final Operators operators;

	OperatorAdminController(Operators operators) {
		this.operators = operators;
	}

	@GetMapping("/admin/api/operators")
	Map<String, Object> list() {
		List<Map<String, Object>> rows = this.operators.list().stream().map(o -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("account_id", o.accountId());
			row.put("roles", o.roles().stream().sorted().map(OperatorRole::value).toList());
			row.put("granted_by", o.grantedBy());
			row.put("granted_at", o.grantedAt().toString());
			return row;
		}).toList();
		return Map.of("operators", rows);
	}

	/** Body {@code {"roles": ["viewer", "support"]}}; an empty list takes every role away. */
	@PutMapping("/admin/api/operators/{accountId}")
	Map<String, Object> grant(@PathVariable String accountId, @RequestBody(required = false) Map<String, Object> body,
			Authentication operator) {
		if (body == null || !(body.get("roles") instanceof List<?> names)
				|| !names.stream().allMatch(String.class::isInstance)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "roles must be a list of viewer, support, admin");
		}
		Set<OperatorRole> roles = EnumSet.noneOf(OperatorRole.class);
		try {
			names.forEach(name -> roles.add(OperatorRole.parse((String) name)));
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		if (this.operators.resolve(accountId).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no account has that id");
		}
		this.operators.grant(accountId, roles, "admin:" + operator.getName());
		return Map.of("account_id", accountId, "roles", roles.stream().sorted().map(OperatorRole::value).toList());
	}

}
