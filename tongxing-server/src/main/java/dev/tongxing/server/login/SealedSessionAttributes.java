package dev.tongxing.server.login;

import dev.tongxing.server.crypto.JoseDataCipher;
import java.nio.charset.StandardCharsets;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.stereotype.Component;

/**
 * Session attributes are sealed before Spring Session writes them to {@code SPRING_SESSION_ATTRIBUTES}: a login
 * waiting at a gate holds the upstream identity (phone number, openid, nickname), the security context holds
 * the person's address. Each attribute is Java-serialized as before, then sealed; attributes written in clear
 * before this existed are still read.
 */
@Component
class SealedSessionAttributes implements SessionRepositoryCustomizer<JdbcIndexedSessionRepository> {

	private final JoseDataCipher cipher;

	SealedSessionAttributes(JoseDataCipher cipher) {
		this.cipher = cipher;
	}

	@Override
	public void customize(JdbcIndexedSessionRepository repository) {
		SerializingConverter serializer = new SerializingConverter();
		DeserializingConverter deserializer = new DeserializingConverter(getClass().getClassLoader());
		GenericConversionService conversions = new GenericConversionService();
		conversions.addConverter(Object.class, byte[].class,
				value -> this.cipher.sealBytes(serializer.convert(value)).getBytes(StandardCharsets.US_ASCII));
		conversions.addConverter(byte[].class, Object.class, stored -> {
			byte[] opened = open(stored);
			return opened == null ? null : deserializer.convert(opened);
		});
		repository.setConversionService(conversions);
	}

	/** @return the serialized attribute, or null when it was sealed under a key that is gone (signed out, not an error page) */
	private byte[] open(byte[] stored) {
		String text = isJwe(stored) ? new String(stored, StandardCharsets.US_ASCII) : null;
		if (text == null || !JoseDataCipher.isSealed(text)) {
			return stored;
		}
		try {
			return this.cipher.openBytes(text);
		}
		catch (IllegalStateException unreadable) {
			return null;
		}
	}

	/** Java serialization starts with 0xACED; a sealed value with "eyJ", the Base64 of '{"'. */
	private static boolean isJwe(byte[] stored) {
		return stored.length > 3 && stored[0] == 'e' && stored[1] == 'y' && stored[2] == 'J';
	}

}
