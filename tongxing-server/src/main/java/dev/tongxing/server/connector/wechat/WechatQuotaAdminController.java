package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /admin/api/ops/wechat-quota}: each WeChat app's budget and the APIs backed off after WeChat's quota
 * errors; an operator may lift an app's back-offs (once WeChat's support has reset its quota, say).
 */
@RestController
class WechatQuotaAdminController {

	private final WechatApps apps;

	private final WechatBackOffs backOffs;

	private final WechatQuotaProperties quota;

	private final AuditLog audit;

	WechatQuotaAdminController(WechatApps apps, WechatBackOffs backOffs, WechatQuotaProperties quota, AuditLog audit) {
		this.apps = apps;
		this.backOffs = backOffs;
		this.quota = quota;
		this.audit = audit;
	}

	@GetMapping("/admin/api/ops/wechat-quota")
	Map<String, Object> view() {
		List<Map<String, Object>> budgets = this.apps.all().stream().map(app -> {
			Map<String, Object> budget = new LinkedHashMap<>();
			budget.put("appid", app.appid());
			budget.put("calls_per_second", this.quota.callsPerSecond(app.appid()));
			Map<String, Long> perDay = new LinkedHashMap<>();
			for (WechatQuota.Api api : WechatQuota.Api.values()) {
				long calls = this.quota.callsPerDay(app.appid(), api);
				if (calls > 0) {
					perDay.put(api.key, calls);
				}
			}
			budget.put("calls_per_day", perDay);
			return budget;
		}).toList();
		List<Map<String, Object>> backedOff = this.backOffs.list().stream().map(b -> {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("appid", b.appid());
			row.put("api", b.api());
			row.put("errcode", b.errcode());
			row.put("since", b.startedAt().toString());
			row.put("until", b.until().toString());
			return row;
		}).toList();
		return Map.of("budgets", budgets, "back_offs", backedOff);
	}

	@DeleteMapping("/admin/api/ops/wechat-quota/{appid}/back-offs")
	Map<String, Object> lift(@PathVariable String appid, Principal operator) {
		if (this.apps.all().stream().noneMatch(app -> app.appid().equals(appid))) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no WeChat app " + appid);
		}
		int lifted = this.backOffs.lift(appid);
		this.audit.record(AuditEntry.of(AuditTypes.ADMIN_WECHAT_BACK_OFF_LIFTED)
			.actor("admin:" + operator.getName())
			.detail("appid", appid)
			.detail("lifted", lifted));
		return Map.of("appid", appid, "lifted", lifted);
	}

}
