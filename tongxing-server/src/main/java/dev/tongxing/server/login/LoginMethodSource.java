package dev.tongxing.server.login;

import java.util.List;

/** Contributes login methods to the login page; consulted on every render, so state can change live. */
public interface LoginMethodSource {

	List<LoginMethod> loginMethods();

}
