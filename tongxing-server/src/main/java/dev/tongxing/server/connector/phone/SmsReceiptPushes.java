package dev.tongxing.server.connector.phone;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The providers' delivery receipts as they push them: Tencent Cloud SMS's status callback (短信下发状态通知, a JSON
 * array of {@code {user_receive_time, nationcode, mobile, report_status: SUCCESS|FAIL, errmsg, description, sid}},
 * {@code sid} being the send's {@code SerialNo}) and Aliyun's SmsReport in HTTP batch-push mode (a JSON array of
 * {@code {phone_number, send_time, report_time, success, err_code, err_msg, sms_size, biz_id, out_id}}, {@code biz_id}
 * being the send's {@code BizId}). Neither provider signs its pushes, so each push must carry the provider's
 * receipt token in its URL, compared in constant time; the number in a report is never read, let alone kept.
 */
@Component
class SmsReceiptPushes {

	private static final Logger log = LoggerFactory.getLogger(SmsReceiptPushes.class);

	/** Both providers batch their reports; a few hundred fit comfortably, anything much bigger is not theirs. */
	static final int MAX_BODY = 256 * 1024;

	static final int MAX_REPORTS = 1000;

	/** A push's outcome, as the endpoint answers it and the metric counts it. */
	enum Outcome {

		ACCEPTED(200, "OK"),
		/** No receipt token is configured for this provider: its receipts are not taken. */
		NOT_CONFIGURED(404, "receipts are not taken for this provider"),
		UNAUTHORIZED(401, "missing or wrong receipt token"),
		MALFORMED(400, "not a JSON array of delivery reports"),
		TOO_LARGE(413, "too many reports in one push"),
		/** This node is handling as many pushes as it may: the provider pushes again later. */
		BUSY(503, "busy, push again later"),
		/** The database could not record it: the provider pushes again later. */
		UNAVAILABLE(503, "could not record the reports, push again later");

		final int status;

		final String message;

		Outcome(int status, String message) {
			this.status = status;
			this.message = message;
		}

		String tag() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}
	}

	/** A push's outcome, and what was wrong with it when it was malformed. */
	record Result(Outcome outcome, String detail) {

		String message() {
			return this.detail == null ? this.outcome.message : this.outcome.message + ": " + this.detail;
		}
	}

	private final SmsProperties sms;

	private final SmsDeliveries deliveries;

	private final MeterRegistry meters;

	private final JsonMapper json = JsonMapper.builder().build();

	private final Semaphore permits;

	SmsReceiptPushes(SmsProperties sms, SmsDeliveries deliveries, SmsDeliveryProperties properties,
			MeterRegistry meters) {
		this.sms = sms;
		this.deliveries = deliveries;
		this.meters = meters;
		this.permits = new Semaphore(properties.maxConcurrentReceipts());
	}

	/** @param body the push, read up to {@link #MAX_BODY} + 1 bytes (more is refused) */
	Result receive(SmsProperties.Sender provider, String token, byte[] body) {
		Result result = result(provider, token, body);
		Counter.builder("tongxing.sms.receipt.requests")
			.description("Delivery receipt pushes by provider and outcome (accepted, unauthorized, malformed, ...)")
			.tag("provider", provider.name().toLowerCase(Locale.ROOT))
			.tag("outcome", result.outcome().tag())
			.register(this.meters)
			.increment();
		return result;
	}

	private Result result(SmsProperties.Sender provider, String token, byte[] body) {
		String expected = this.sms.receiptToken(provider);
		if (expected == null) {
			return new Result(Outcome.NOT_CONFIGURED, null);
		}
		if (token == null || !MessageDigest.isEqual(sha256(token), sha256(expected))) {
			return new Result(Outcome.UNAUTHORIZED, null);
		}
		if (body.length > MAX_BODY) {
			return new Result(Outcome.TOO_LARGE, "more than " + MAX_BODY + " bytes");
		}
		List<SmsDeliveries.Receipt> receipts;
		try {
			receipts = parse(provider, body);
		}
		catch (Malformed ex) {
			return new Result(ex.tooMany ? Outcome.TOO_LARGE : Outcome.MALFORMED, ex.getMessage());
		}
		if (!this.permits.tryAcquire()) {
			return new Result(Outcome.BUSY, null);
		}
		try {
			SmsDeliveries.Matched matched = this.deliveries.receive(provider.name().toLowerCase(Locale.ROOT), receipts);
			if (matched.unmatched() > 0) {
				log.info("{} of {} delivery reports from {} name no send we know (older than the retention, or sent "
						+ "before receipts were on)", matched.unmatched(), receipts.size(), provider);
			}
			return new Result(Outcome.ACCEPTED, null);
		}
		catch (RuntimeException ex) {
			log.warn("Could not record delivery reports from {} (it will push them again): {}", provider, ex.toString());
			return new Result(Outcome.UNAVAILABLE, null);
		}
		finally {
			this.permits.release();
		}
	}

	/** A push that is not what the provider sends. */
	private static final class Malformed extends Exception {

		final boolean tooMany;

		Malformed(String message, boolean tooMany) {
			super(message, null, false, false);
			this.tooMany = tooMany;
		}
	}

	private List<SmsDeliveries.Receipt> parse(SmsProperties.Sender provider, byte[] body) throws Malformed {
		JsonNode root;
		try {
			root = this.json.readTree(new String(body, StandardCharsets.UTF_8));
		}
		catch (JacksonException ex) {
			throw new Malformed("the body is not JSON", false);
		}
		if (root == null || !root.isArray()) {
			throw new Malformed("the body is not a JSON array", false);
		}
		if (root.size() > MAX_REPORTS) {
			throw new Malformed("more than " + MAX_REPORTS + " reports", true);
		}
		List<SmsDeliveries.Receipt> receipts = new ArrayList<>();
		for (int i = 0; i < root.size(); i++) {
			JsonNode report = root.get(i);
			if (!report.isObject()) {
				throw new Malformed("report " + i + " is not an object", false);
			}
			receipts.add(provider == SmsProperties.Sender.TENCENT ? tencent(report, i) : aliyun(report, i));
		}
		return receipts;
	}

	private static SmsDeliveries.Receipt tencent(JsonNode report, int i) throws Malformed {
		String sid = id(report, "sid", i);
		String status = report.path("report_status").asString("");
		if (!status.equals("SUCCESS") && !status.equals("FAIL")) {
			throw new Malformed("report " + i + ": report_status is neither SUCCESS nor FAIL", false);
		}
		return new SmsDeliveries.Receipt(sid, status.equals("SUCCESS"), text(report, "errmsg"));
	}

	private static SmsDeliveries.Receipt aliyun(JsonNode report, int i) throws Malformed {
		String bizId = id(report, "biz_id", i);
		JsonNode success = report.path("success");
		boolean delivered;
		if (success.isBoolean()) {
			delivered = success.booleanValue();
		}
		else if (success.isString() && (success.asString().equals("true") || success.asString().equals("false"))) {
			delivered = success.asString().equals("true");
		}
		else {
			throw new Malformed("report " + i + ": success is not true or false", false);
		}
		return new SmsDeliveries.Receipt(bizId, delivered, text(report, "err_code"));
	}

	private static String id(JsonNode report, String field, int i) throws Malformed {
		JsonNode id = report.path(field);
		if (!(id.isString() || id.isNumber()) || id.asString().isBlank() || id.asString().length() > 100) {
			throw new Malformed("report " + i + ": no " + field, false);
		}
		return id.asString();
	}

	private static String text(JsonNode report, String field) {
		JsonNode value = report.path(field);
		return value.isValueNode() && !value.isNull() ? value.asString() : null;
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
