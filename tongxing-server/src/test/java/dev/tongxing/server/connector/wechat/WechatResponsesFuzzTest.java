package dev.tongxing.server.connector.wechat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Coverage-guided fuzzing (Jazzer) of what WeChat's API answers: any status and body either becomes the endpoint's
 * record or a {@link WechatException} ({@link WechatUnavailableException}, {@link WechatApiException}) — the only
 * exceptions the login code is written to handle. The first byte picks the endpoint and the status (mostly 200), the
 * rest is the body as WeChat would send it.
 */
class WechatResponsesFuzzTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String[] PATHS = { "/sns/oauth2/access_token", "/sns/userinfo", "/sns/jscode2session",
			"/cgi-bin/stable_token", "/wxa/business/getuserphonenumber" };

	@FuzzTest(maxDuration = "10s")
	void anyAnswerIsARecordOrAWechatException(byte[] input) {
		if (input.length == 0) {
			return;
		}
		int selector = input[0] & 0xFF;
		String path = PATHS[selector % PATHS.length];
		int status = selector < 0xF0 ? 200 : 400 + (selector & 0x0F) * 10;
		String body = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
		JsonNode answer;
		try {
			answer = WechatApiClient.answer(JSON, path, status, body);
		}
		catch (WechatException documented) {
			return;
		}
		switch (selector % PATHS.length) {
			case 0 -> WechatApiClient.userToken(answer).canReadProfile();
			case 1 -> WechatApiClient.userInfo(answer);
			case 2 -> WechatApiClient.miniProgramSession(answer);
			case 3 -> WechatApiClient.appToken(answer);
			default -> WechatApiClient.phoneNumber(answer);
		}
	}

}
