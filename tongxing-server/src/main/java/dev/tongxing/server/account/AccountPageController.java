package dev.tongxing.server.account;

import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The signed-in person's own page. */
@Controller
class AccountPageController {

	private final AccountService accounts;

	AccountPageController(AccountService accounts) {
		this.accounts = accounts;
	}

	@GetMapping({ "/", "/account" })
	String account(Principal principal, Model model) {
		model.addAttribute("user", this.accounts.find(principal.getName()).orElse(null));
		return "account/account";
	}

}
