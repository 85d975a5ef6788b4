package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.ops.UpstreamQuotas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WeChat apps' quota use for the console's overview: each daily budget as this node last saw it (the bucket
 * is the cluster's on Redis, this node's own otherwise), and the APIs backed off after WeChat's own quota errors
 * (kept in the database: every node's).
 */
class WechatQuotaUse implements UpstreamQuotas {

	private final WechatQuota quota;

	private final WechatBackOffs backOffs;

	WechatQuotaUse(WechatQuota quota, WechatBackOffs backOffs) {
		this.quota = quota;
		this.backOffs = backOffs;
	}

	@Override
	public List<QuotaUse> quotaUse() {
		Map<String, QuotaUse> uses = new LinkedHashMap<>();
		for (WechatQuota.DaySeen day : this.quota.daysSeen()) {
			uses.put(day.appid() + "|" + day.api(),
					new QuotaUse("wechat:" + day.appid(), day.api(), day.limit(), day.remaining(), null, null));
		}
		for (WechatBackOffs.BackOff backOff : this.backOffs.list()) {
			String key = backOff.appid() + "|" + backOff.api();
			QuotaUse day = uses.get(key);
			uses.put(key, new QuotaUse("wechat:" + backOff.appid(), backOff.api(), day == null ? null : day.dayLimit(),
					day == null ? null : day.dayRemaining(), backOff.until(), backOff.errcode()));
		}
		return new ArrayList<>(uses.values());
	}

}
