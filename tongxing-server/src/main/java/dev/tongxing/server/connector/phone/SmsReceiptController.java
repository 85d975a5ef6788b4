package dev.tongxing.server.connector.phone;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where the providers push delivery receipts: the URL the operator registers with each is
 * {@code <issuer>/sms/receipts/tencent?token=<tongxing.sms.tencent.receipt-token>} (Tencent Cloud SMS console →
 * 事件回调配置 → 短信状态回调) and {@code <issuer>/sms/receipts/aliyun?token=<tongxing.sms.aliyun.receipt-token>}
 * (Aliyun SMS console → 回执消息配置 → HTTP 批量推送, SmsReport). Each answer is in the provider's own shape, which
 * tells it whether to push again: Tencent reads {@code result} (0 taken), Aliyun the HTTP status and {@code code}.
 */
@RestController
class SmsReceiptController {

	static final String PATH = "/sms/receipts/**";

	private final SmsReceiptPushes pushes;

	SmsReceiptController(SmsReceiptPushes pushes) {
		this.pushes = pushes;
	}

	@PostMapping(path = "/sms/receipts/tencent", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, Object>> tencent(@RequestParam(required = false) String token,
			HttpServletRequest request) throws IOException {
		SmsReceiptPushes.Result result = this.pushes.receive(SmsProperties.Sender.TENCENT, token, body(request));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("result", result.outcome() == SmsReceiptPushes.Outcome.ACCEPTED ? 0 : result.outcome().status);
		answer.put("errmsg", result.message());
		return ResponseEntity.status(result.outcome().status).contentType(MediaType.APPLICATION_JSON).body(answer);
	}

	@PostMapping(path = "/sms/receipts/aliyun", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, Object>> aliyun(@RequestParam(required = false) String token,
			HttpServletRequest request) throws IOException {
		SmsReceiptPushes.Result result = this.pushes.receive(SmsProperties.Sender.ALIYUN, token, body(request));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("code", result.outcome() == SmsReceiptPushes.Outcome.ACCEPTED ? 0 : result.outcome().status);
		answer.put("msg", result.outcome() == SmsReceiptPushes.Outcome.ACCEPTED ? "接收成功" : result.message());
		return ResponseEntity.status(result.outcome().status).contentType(MediaType.APPLICATION_JSON).body(answer);
	}

	/** At most one byte more than a push may have, so a bigger one is refused without being read whole. */
	private static byte[] body(HttpServletRequest request) throws IOException {
		try (InputStream in = request.getInputStream()) {
			return in.readNBytes(SmsReceiptPushes.MAX_BODY + 1);
		}
	}

}
