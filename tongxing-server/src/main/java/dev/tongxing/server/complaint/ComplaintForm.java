package dev.tongxing.server.complaint;

/** The "can't sign in?" form as submitted: raw strings, checked by {@link ComplaintController}. */
record ComplaintForm(String contact, String method, String description, String happenedAt) {

	static ComplaintForm empty() {
		return new ComplaintForm("", "", "", "");
	}

}
