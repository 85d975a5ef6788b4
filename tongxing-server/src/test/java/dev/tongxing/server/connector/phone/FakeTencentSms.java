package dev.tongxing.server.connector.phone;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tencent Cloud's SendSms endpoint as far as a sender can tell: the signature checked by
 * {@link FakeTencentCloudApi}, a sent message answered in the API 3.0 JSON shape with a {@code SerialNo} of its own.
 * It can then push status callbacks (短信下发状态通知) for the messages it accepted, delivered or failed, or never.
 */
class FakeTencentSms extends FakeTencentCloudApi {

	private final AtomicLong sequence = new AtomicLong();

	/** The SerialNo of each accepted message, in order. */
	final List<String> serials = new CopyOnWriteArrayList<>();

	FakeTencentSms(String secretId, String secretKey, Clock clock) {
		super(secretId, secretKey, clock, "sms", "SendSms", "2021-01-11");
	}

	@Override
	Reply answer(JsonNode request) {
		String phone = request.path("PhoneNumberSet").path(0).asString();
		String serial = "2645:" + (1_000_000_000L + this.sequence.incrementAndGet());
		this.serials.add(serial);
		return Reply.json(200, "{\"Response\":{\"SendStatusSet\":[{\"SerialNo\":\"" + serial + "\",\"PhoneNumber\":\"" + phone
				+ "\",\"Fee\":1,\"SessionContext\":\"\",\"Code\":\"Ok\",\"Message\":\"send success\",\"IsoCode\":\"CN\"}],"
				+ "\"RequestId\":\"req-2\"}}");
	}

	/** Pushes one status callback with a report per message, all delivered or all failed, as Tencent does. */
	HttpResponse<String> pushReceipts(URI callback, List<String> serials, boolean delivered) {
		List<Map<String, Object>> reports = new ArrayList<>();
		for (String serial : serials) {
			Map<String, Object> report = new LinkedHashMap<>();
			report.put("user_receive_time", "2026-12-04 08:03:04");
			report.put("nationcode", "86");
			report.put("mobile", "13800138000");
			report.put("report_status", delivered ? "SUCCESS" : "FAIL");
			report.put("errmsg", delivered ? "DELIVRD" : "MK:0001");
			report.put("description", delivered ? "用户短信送达成功" : "用户短信接收失败");
			report.put("sid", serial);
			reports.add(report);
		}
		return Receipts.post(callback, JsonMapper.shared().writeValueAsString(reports));
	}

}
