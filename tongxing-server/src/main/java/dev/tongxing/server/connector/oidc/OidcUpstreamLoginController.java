package dev.tongxing.server.connector.oidc;

import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.connector.oidc.OidcUpstream.VerifiedLogin;
import dev.tongxing.server.login.PendingLogins;
import dev.tongxing.server.login.PendingLogins.PendingLogin;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.tongxing.server.connector.oidc.UpstreamLoginFailure.Reason;
import dev.tongxing.server.login.LoginCompletion;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.oidc.OidcProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.view.RedirectView;

/**
 * Sign-in through a configured OpenID Connect provider: {@code /login/oidc/<id>} sends the browser there,
 * {@code /login/oidc/<id>/callback} takes its answer, checks it and signs the person in. Anything that goes
 * wrong ends back on the login page, which says so in words; what the provider said is logged, never shown.
 */
@Controller
class OidcUpstreamLoginController {

	private static final Logger log = LoggerFactory.getLogger(OidcUpstreamLoginController.class);

	/** What the callback needs of a pending login, besides its state. */
	static final String NONCE = "nonce";

	static final String CODE_VERIFIER = "code_verifier";

	private final OidcUpstreams upstreams;

	private final PendingLogins pendingLogins;

	private final LoginCompletion completion;

	private final String issuer;

	OidcUpstreamLoginController(OidcUpstreams upstreams, PendingLogins pendingLogins, LoginCompletion completion,
			OidcProperties gateway) {
		this.upstreams = upstreams;
		this.pendingLogins = pendingLogins;
		this.completion = completion;
		this.issuer = gateway.issuer();
	}

	@GetMapping("/login/oidc/{id}")
	RedirectView begin(@PathVariable String id, HttpServletRequest request) {
		OidcUpstream upstream = upstream(id);
		try {
			// fresh random values (Nimbus: 256 bits each) for a new login
			String state = PendingLogins.newState();
			Nonce nonce = new Nonce();
			CodeVerifier verifier = new CodeVerifier();
			URI location = upstream.authorizationRequest(callbackUri(id), new State(state), nonce, verifier);
			// saved only once the provider is known to be there: an outage leaves no rows behind
			this.pendingLogins.save(state, upstream.method(), id,
					java.util.Map.of(NONCE, nonce.getValue(), CODE_VERIFIER, verifier.getValue()), request);
			return redirect(location.toString());
		}
		catch (UpstreamLoginFailure failure) {
			return failed(upstream, failure, request);
		}
	}

	@GetMapping("/login/oidc/{id}/callback")
	RedirectView callback(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
		OidcUpstream upstream = upstream(id);
		try {
			AuthorizationResponse answer = parse(request);
			PendingLogin login = this.pendingLogins
				.take(answer.getState() == null ? "" : answer.getState().getValue(), upstream.method(), request)
				.orElseThrow(() -> new UpstreamLoginFailure(Reason.EXPIRED, "unknown, used, expired or foreign state"));
			upstream.checkResponseIssuer(answer.getIssuer());
			if (answer instanceof AuthorizationErrorResponse error) {
				throw refusal(error.getErrorObject());
			}
			VerifiedLogin verified = upstream.redeem(((AuthorizationSuccessResponse) answer).getAuthorizationCode(),
					callbackUri(id), new CodeVerifier(login.attributes().get(CODE_VERIFIER)),
					new Nonce(login.attributes().get(NONCE)));
			ExternalIdentity identity;
			try {
				identity = upstream.identify(verified);
			}
			catch (IllegalArgumentException ex) {
				throw new UpstreamLoginFailure(Reason.INVALID_ANSWER, ex.getMessage());
			}
			return redirect(this.completion.complete(identity, upstream.definition().id(), request, response));
		}
		catch (UpstreamLoginFailure failure) {
			return failed(upstream, failure, request);
		}
	}

	private OidcUpstream upstream(String id) {
		return this.upstreams.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

	/** Where the provider sends the browser back: registered with the provider as the redirect URI. */
	private URI callbackUri(String id) {
		return URI.create(this.issuer + "/login/oidc/" + id + "/callback");
	}

	private static AuthorizationResponse parse(HttpServletRequest request) throws UpstreamLoginFailure {
		String query = request.getQueryString();
		try {
			return AuthorizationResponse.parse(URI.create("https://callback.invalid/" + (query == null ? "" : "?" + query)));
		}
		catch (ParseException | IllegalArgumentException ex) {
			throw new UpstreamLoginFailure(Reason.EXPIRED, "unreadable authorization response: " + ex.getMessage(), ex);
		}
	}

	private static UpstreamLoginFailure refusal(ErrorObject error) {
		String detail = "authorization refused: " + LogText.of(error.getCode()) + " " + LogText.of(error.getDescription());
		boolean cancelled = OAuth2Error.ACCESS_DENIED.getCode().equals(error.getCode());
		return new UpstreamLoginFailure(cancelled ? Reason.CANCELLED : Reason.REFUSED, detail);
	}

	private static LoginFailureCause cause(Reason reason) {
		return switch (reason) {
			case CANCELLED -> LoginFailureCause.USER_CANCELLED;
			case EXPIRED -> LoginFailureCause.STATE_INVALID;
			case REFUSED -> LoginFailureCause.APP_NOT_AUTHORISED;
			case UNREACHABLE -> LoginFailureCause.UPSTREAM_UNAVAILABLE;
			case INVALID_ANSWER -> LoginFailureCause.OUR_CONFIGURATION; // or an attack: logged as a warning
		};
	}

	/** Back to the login page, which says what happened in words (see {@link UpstreamLabels}). */
	private RedirectView failed(OidcUpstream upstream, UpstreamLoginFailure failure, HttpServletRequest request) {
		this.completion.failed(upstream.method(), upstream.definition().id(), cause(failure.reason()),
				failure.upstreamError(), request);
		if (failure.reason() == Reason.CANCELLED || failure.reason() == Reason.EXPIRED) {
			log.info("OIDC upstream '{}': login not completed: {}", upstream.definition().id(), failure.getMessage());
		}
		else {
			log.warn("OIDC upstream '{}': login failed ({}): {}", upstream.definition().id(), failure.reason(),
					failure.getMessage());
		}
		return redirect("/login?error=" + UpstreamLabels.errorCode(upstream.definition().id(), failure.reason()));
	}

	private static RedirectView redirect(String location) {
		RedirectView view = new RedirectView(location);
		view.setExpandUriTemplateVariables(false);
		view.setContextRelative(true);
		return view;
	}

}
