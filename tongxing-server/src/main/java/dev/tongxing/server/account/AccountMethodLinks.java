package dev.tongxing.server.account;

import java.util.List;

/** A connector's offer, on the account page, to add its sign-in method to the account. */
public interface AccountMethodLinks {

	/**
	 * @param provider the identity namespace this method creates (a user who has it is offered no link)
	 */
	record Link(String provider, String labelKey, String href) {
	}

	List<Link> links();

}
