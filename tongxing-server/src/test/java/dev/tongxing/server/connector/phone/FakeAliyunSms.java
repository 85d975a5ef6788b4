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
import tools.jackson.databind.json.JsonMapper;

/**
 * Aliyun's dysmsapi SendSms as far as a sender can tell: the signature checked by {@link FakeAliyunRpcApi}, a
 * sent message answered in dysmsapi's JSON with a {@code BizId} of its own. It can then push SmsReport receipts
 * (HTTP batch-push mode) for the messages it accepted, delivered or failed, or never.
 */
class FakeAliyunSms extends FakeAliyunRpcApi {

	private final AtomicLong sequence = new AtomicLong();

	/** The BizId of each accepted message, in order. */
	final List<String> bizIds = new CopyOnWriteArrayList<>();

	FakeAliyunSms(String accessKeyId, String accessKeySecret, Clock clock) {
		super(accessKeyId, accessKeySecret, clock, "SendSms", "2017-05-25");
	}

	@Override
	Reply answer(Map<String, String> form) {
		String bizId = (900619746936498440L + this.sequence.incrementAndGet()) + "^0";
		this.bizIds.add(bizId);
		return Reply.json(200, "{\"Code\":\"OK\",\"Message\":\"OK\",\"BizId\":\"" + bizId + "\",\"RequestId\":\"r-2\"}");
	}

	/** Pushes one SmsReport batch with a report per message, all delivered or all failed. */
	HttpResponse<String> pushReceipts(URI callback, List<String> bizIds, boolean delivered) {
		List<Map<String, Object>> reports = new ArrayList<>();
		for (String bizId : bizIds) {
			Map<String, Object> report = new LinkedHashMap<>();
			report.put("phone_number", "13800138000");
			report.put("send_time", "2026-12-04 08:03:00");
			report.put("report_time", "2026-12-04 08:03:04");
			report.put("success", delivered);
			report.put("err_code", delivered ? "DELIVERED" : "MK:0001");
			report.put("err_msg", delivered ? "用户接收成功" : "用户接收失败");
			report.put("sms_size", "1");
			report.put("biz_id", bizId);
			report.put("out_id", "");
			reports.add(report);
		}
		return Receipts.post(callback, JsonMapper.shared().writeValueAsString(reports));
	}

}
