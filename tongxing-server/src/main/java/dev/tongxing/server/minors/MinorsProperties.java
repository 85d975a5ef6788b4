package dev.tongxing.server.minors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Minors, under {@code tongxing.minors.*}.
 *
 * @param ageCheck {@code off} (default: no age is asked), {@code self-declared} (the person picks their bracket
 * after the first sign-in) or {@code verified} (a {@link VerifiedAgeSource} bean says)
 */
@ConfigurationProperties("tongxing.minors")
public record MinorsProperties(@DefaultValue("off") AgeCheck ageCheck) {

	public enum AgeCheck {

		OFF, SELF_DECLARED, VERIFIED

	}

}
