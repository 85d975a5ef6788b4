package dev.tongxing.server.connector.wechat.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own WeChat message crypto (JDK only) speaks exactly what the emulator's WeChat sends and checks:
 * signatures, and safe-mode ciphertexts both ways; a ciphertext of another app, a flipped byte or a bad key is refused.
 */
class MessageCryptoTest {

	static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

	static final String APPID = "wx0000000000000003";

	static final String XML = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o关注]]></FromUserName>"
			+ "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>";

	@Test
	void signaturesAreWechatsSortedSha1() {
		assertThat(MessageCrypto.signature("token", "1700000000", "12345"))
			.isEqualTo(dev.tongxing.wechat.emulator.core.MessageCrypto.signature("token", "1700000000", "12345"));
		assertThat(MessageCrypto.signature("token", "1700000000", "12345", "ENC"))
			.isEqualTo(dev.tongxing.wechat.emulator.core.MessageCrypto.msgSignature("token", "1700000000", "12345", "ENC"));
		String expected = MessageCrypto.signature("t", "1", "2");
		assertThat(MessageCrypto.matches(expected, expected.toUpperCase())).isTrue();
		assertThat(MessageCrypto.matches(expected, MessageCrypto.signature("t", "1", "3"))).isFalse();
		assertThat(MessageCrypto.matches(expected, null)).isFalse();
	}

	@Test
	void whatTheEmulatorEncryptsTheGatewayDecryptsAndTheOtherWayRound() {
		byte[] random = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
		String fromWechat = dev.tongxing.wechat.emulator.core.MessageCrypto.encrypt(KEY, APPID, random, XML);
		assertThat(MessageCrypto.decrypt(MessageCrypto.aesKey(KEY), APPID, fromWechat)).isEqualTo(XML);
		String ours = MessageCrypto.encrypt(MessageCrypto.aesKey(KEY), APPID, random, XML);
		assertThat(ours).isEqualTo(fromWechat);
		assertThat(dev.tongxing.wechat.emulator.core.MessageCrypto.decrypt(KEY, APPID, ours)).isEqualTo(XML);
	}

	@Test
	void anotherAppsCiphertextATamperedOneOrABadKeyIsRefused() {
		byte[] random = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
		String other = dev.tongxing.wechat.emulator.core.MessageCrypto.encrypt(KEY, "wx0000000000000005", random, XML);
		assertThatThrownBy(() -> MessageCrypto.decrypt(MessageCrypto.aesKey(KEY), APPID, other))
			.isInstanceOf(IllegalArgumentException.class);
		byte[] bytes = Base64.getDecoder().decode(dev.tongxing.wechat.emulator.core.MessageCrypto.encrypt(KEY, APPID, random, XML));
		bytes[bytes.length - 1] ^= 0x01;
		assertThatThrownBy(() -> MessageCrypto.decrypt(MessageCrypto.aesKey(KEY), APPID, Base64.getEncoder().encodeToString(bytes)))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> MessageCrypto.decrypt(MessageCrypto.aesKey(KEY), APPID, "not base64!"))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> MessageCrypto.aesKey("short")).isInstanceOf(IllegalArgumentException.class);
	}

}
