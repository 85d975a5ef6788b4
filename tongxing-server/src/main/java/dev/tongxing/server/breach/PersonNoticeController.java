package dev.tongxing.server.breach;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ImportantNotices;
import dev.tongxing.server.minors.GuardianSession;
import dev.tongxing.server.minors.Minors;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * The in-app notice: a banner on the account page of each person an incident touched, until they open the
 * notice at {@code /account/notices/{id}}. Shown and opened are recorded with their times (the delivery). A child's
 * notice is also listed on the dashboard of the guardian who consented for them, and opened there
 * (未成年人网络保护条例 Art. 35).
 */
@Controller
class PersonNoticeController implements ImportantNotices {

	private final Breaches breaches;

	private final NoticeTexts texts;

	private final AccountService accounts;

	private final org.springframework.context.MessageSource messages;

	private final Minors minors;

	PersonNoticeController(Breaches breaches, NoticeTexts texts, AccountService accounts,
			org.springframework.context.MessageSource messages, Minors minors) {
		this.minors = minors;
		this.breaches = breaches;
		this.texts = texts;
		this.accounts = accounts;
		this.messages = messages;
	}

	@Override
	public List<Notice> show(Collection<String> accountIds, Locale locale) {
		return this.breaches.unreadFor(accountIds)
			.stream()
			.map(b -> new Notice(this.messages.getMessage("breach.banner", null, locale), "/account/notices/" + b.id()))
			.toList();
	}

	@Override
	public List<Notice> forGuardian(String childId, Locale locale) {
		return this.breaches.publishedToChild(childId)
			.stream()
			.map(b -> new Notice(this.messages.getMessage("breach.banner-guardian", null, locale),
					"/login/guardian/children/" + childId + "/notices/" + b.id()))
			.toList();
	}

	@GetMapping("/login/guardian/children/{child}/notices/{id}")
	String guardianNotice(@PathVariable String child, @PathVariable String id, HttpSession session, Locale locale,
			Model model) {
		String guardian = GuardianSession.of(session)
			.filter(g -> this.minors.childrenOf(g).contains(child))
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		Breach breach = this.breaches.openForGuardian(id, child, guardian)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		model.addAttribute("breach", breach);
		model.addAttribute("notice", this.texts.notice(breach, locale));
		model.addAttribute("back", "/login/guardian");
		return "breach/notice";
	}

	@GetMapping("/account/notices/{id}")
	String notice(@PathVariable String id, Principal principal, Locale locale, Model model) {
		Set<String> mine = this.accounts.withMergedAccounts(principal.getName());
		Breach breach = this.breaches.open(id, mine).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		model.addAttribute("breach", breach);
		model.addAttribute("notice", this.texts.notice(breach, locale));
		return "breach/notice";
	}

}
