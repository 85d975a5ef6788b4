package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.ExternalIdentity.Profile;
import dev.tongxing.server.connector.UpstreamLogin;
import java.util.List;
import org.springframework.stereotype.Component;

/** The phone upstream: a number proven by an SMS code is the person, keyed on its E.164 form. */
@Component
class PhoneUpstreamLogin implements UpstreamLogin<VerifyOutcome.Verified> {

	@Override
	public String method() {
		return "phone";
	}

	@Override
	public ExternalIdentity identify(VerifyOutcome.Verified proof) {
		return new ExternalIdentity(method(), List.of(new IdentityKey("phone", proof.phone())),
				new Profile(null, null, proof.phone()));
	}

}
