package dev.tongxing.wechat.emulator.core;

/** A WeChat API error: answered as HTTP 200 with {"errcode":..,"errmsg":".."}. */
public final class WxException extends RuntimeException {
    private final int errcode;
    private final String errmsg;

    public WxException(int errcode) {
        this(errcode, ErrorCodes.text(errcode));
    }

    public WxException(int errcode, String errmsg) {
        super(errcode + " " + errmsg, null, false, false);
        this.errcode = errcode;
        this.errmsg = errmsg;
    }

    public int errcode() {
        return errcode;
    }

    public String errmsg() {
        return errmsg;
    }
}
