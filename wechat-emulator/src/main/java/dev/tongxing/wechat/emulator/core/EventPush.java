package dev.tongxing.wechat.emulator.core;

import java.util.Map;

/**
 * One event WeChat is about to push to an official account's message endpoint: the exact request (query and
 * body, the same on every retry) and what is needed to check the answer. {@code endpoint} is null when the
 * account has no server configuration (then nothing is sent).
 */
public record EventPush(String id, String appid, String originalId, String event, String openid, String eventKey,
                        long createTime, String plainXml, MessageEndpoint endpoint, Map<String, String> query, String body) {}
