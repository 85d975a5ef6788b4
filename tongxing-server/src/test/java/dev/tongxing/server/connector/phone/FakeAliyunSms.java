package dev.tongxing.server.connector.phone;

import java.time.Clock;
import java.util.Map;

/**
 * Aliyun's dysmsapi SendSms as far as a sender can tell: the signature checked by {@link FakeAliyunRpcApi}, a
 * sent message answered in dysmsapi's JSON.
 */
class FakeAliyunSms extends FakeAliyunRpcApi {

	FakeAliyunSms(String accessKeyId, String accessKeySecret, Clock clock) {
		super(accessKeyId, accessKeySecret, clock, "SendSms", "2017-05-25");
	}

	@Override
	Reply answer(Map<String, String> form) {
		return Reply.json(200, "{\"Code\":\"OK\",\"Message\":\"OK\",\"BizId\":\"900619746936498440^0\",\"RequestId\":\"r-2\"}");
	}

}
