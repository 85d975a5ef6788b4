package dev.tongxing.server.console;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's operators given by configuration (the first one, before anyone can grant roles in the
 * console), beside {@code tongxing.admin.username/password} of the JSON API.
 *
 * @param operators phone numbers (E.164, e.g. {@code +8613800138000}) and their roles
 */
@ConfigurationProperties("tongxing.admin")
public record OperatorProperties(@DefaultValue List<ConfiguredOperator> operators) {

	public OperatorProperties {
		operators = List.copyOf(operators);
		for (ConfiguredOperator operator : operators) {
			if (operator.phone() == null || !operator.phone().matches("\\+[1-9][0-9]{6,14}")) {
				throw new IllegalArgumentException(
						"tongxing.admin.operators[].phone must be an E.164 number such as +8613800138000");
			}
			OperatorRole.parseAll(String.join(",", operator.roles()));
		}
	}

	/** @param roles {@code viewer}, {@code support}, {@code admin} */
	public record ConfiguredOperator(String phone, @DefaultValue List<String> roles) {

		public ConfiguredOperator {
			roles = List.copyOf(roles);
		}

	}

}
