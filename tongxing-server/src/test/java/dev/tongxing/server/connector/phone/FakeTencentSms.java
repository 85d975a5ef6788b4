package dev.tongxing.server.connector.phone;

import java.time.Clock;
import tools.jackson.databind.JsonNode;

/**
 * Tencent Cloud's SendSms endpoint as far as a sender can tell: the signature checked by
 * {@link FakeTencentCloudApi}, a sent message answered in the API 3.0 JSON shape.
 */
class FakeTencentSms extends FakeTencentCloudApi {

	FakeTencentSms(String secretId, String secretKey, Clock clock) {
		super(secretId, secretKey, clock, "sms", "SendSms", "2021-01-11");
	}

	@Override
	Reply answer(JsonNode request) {
		String phone = request.path("PhoneNumberSet").path(0).asString();
		return Reply.json(200, "{\"Response\":{\"SendStatusSet\":[{\"SerialNo\":\"2645:1\",\"PhoneNumber\":\"" + phone
				+ "\",\"Fee\":1,\"SessionContext\":\"\",\"Code\":\"Ok\",\"Message\":\"send success\",\"IsoCode\":\"CN\"}],"
				+ "\"RequestId\":\"req-2\"}}");
	}

}
