package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.core.EmulatorEngine.App;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.PageError;

import java.net.URI;

/** Whether a redirect_uri lies in an app's registered callback domains (授权回调域 / 网页授权域名). */
final class CallbackDomains {
    static final String LINK_UNAVAILABLE = "该链接无法访问";

    private CallbackDomains() {}

    /**
     * The redirect_uri if allowed; otherwise the page error WeChat shows. An official account refuses a port
     * on a bare-host domain (10003), a website app ignores it.
     */
    static String check(App app, String redirect, boolean oa) {
        String badRedirect = oa ? "redirect_uri 参数错误" : LINK_UNAVAILABLE;
        if (redirect == null) throw new PageError("redirect_uri", badRedirect, "redirect_uri missing");
        URI uri;
        try {
            uri = URI.create(redirect);
        } catch (IllegalArgumentException e) {
            throw new PageError("redirect_uri", badRedirect, "redirect_uri is not a valid URL (encode it exactly once)");
        }
        if (uri.getHost() == null || uri.getScheme() == null
                || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
            throw new PageError("redirect_uri", badRedirect, "redirect_uri must be an absolute http(s) URL");
        }
        String host = uri.getHost().toLowerCase();
        int port = uri.getPort();
        boolean portRefused = false;
        for (String d : app.callbackDomains()) {
            if (d.equals("*")) return redirect;
            int colon = d.lastIndexOf(':');
            String dh = (colon > 0 ? d.substring(0, colon) : d).toLowerCase();
            String dp = colon > 0 ? d.substring(colon + 1) : null;
            if (!dh.equals(host)) continue;
            if ("*".equals(dp)) return redirect;
            if (dp != null) {
                if (String.valueOf(port).equals(dp)) return redirect;
                continue;
            }
            if (oa && port != -1) {
                portRefused = true;
                continue;
            }
            return redirect;
        }
        String detail = portRefused ? "redirect_uri must not carry a port" : "redirect_uri host " + host + " is not a registered callback domain " + app.callbackDomains();
        throw new PageError(oa ? "10003" : "redirect_uri", oa ? "10003" : LINK_UNAVAILABLE, detail);
    }
}
