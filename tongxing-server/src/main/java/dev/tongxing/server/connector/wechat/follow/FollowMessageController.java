package dev.tongxing.server.connector.wechat.follow;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The official account's server URL (服务器配置 → URL): {@value #PATH}. WeChat checks it with a GET (echostr) and
 * pushes events to it with POSTs; the answers are WeChat's plain words ({@code success}), never a page.
 */
@RestController
class FollowMessageController {

	static final String PATH = "/wechat/follow/messages";

	private final FollowMessages messages;

	FollowMessageController(FollowMessages messages) {
		this.messages = messages;
	}

	@GetMapping(path = PATH, produces = MediaType.TEXT_PLAIN_VALUE)
	ResponseEntity<String> verify(@RequestParam(required = false) String signature,
			@RequestParam(required = false) String timestamp, @RequestParam(required = false) String nonce,
			@RequestParam(required = false) String echostr) {
		return this.messages.verifyUrl(new FollowMessages.Signed(signature, timestamp, nonce, null, null), echostr)
			.map(echo -> ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(echo))
			.orElseGet(() -> ResponseEntity.status(403).contentType(MediaType.TEXT_PLAIN).body("invalid signature"));
	}

	@PostMapping(path = PATH, produces = MediaType.TEXT_PLAIN_VALUE)
	ResponseEntity<String> receive(@RequestParam(required = false) String signature,
			@RequestParam(required = false) String timestamp, @RequestParam(required = false) String nonce,
			@RequestParam(name = "encrypt_type", required = false) String encryptType,
			@RequestParam(name = "msg_signature", required = false) String msgSignature, HttpServletRequest request)
			throws IOException {
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes(FollowMessages.MAX_BODY + 1);
		}
		FollowMessages.Outcome outcome = this.messages
			.receive(new FollowMessages.Signed(signature, timestamp, nonce, encryptType, msgSignature), body);
		// "success" tells WeChat to stop resending; a refusal is a short word for whoever sent it
		String answer = outcome.status == 200 ? "success" : outcome.tag();
		return ResponseEntity.status(outcome.status).contentType(MediaType.TEXT_PLAIN).body(answer);
	}

}
