package dev.tongxing.server.account;

import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The signed-in person's own page: their ways to sign in (add one, remove one — never the last), and the
 * confirmation of a merge when a method they proved belongs to another account of theirs.
 */
@Controller
class AccountPageController {

	private final AccountService accounts;

	private final SignInMethods methods;

	private final List<ImportantNotices> notices;

	private final dev.tongxing.server.kernel.DisplayTime time;

	AccountPageController(AccountService accounts, SignInMethods methods,
			org.springframework.beans.factory.ObjectProvider<ImportantNotices> notices,
			dev.tongxing.server.kernel.DisplayTime time) {
		this.time = time;
		this.accounts = accounts;
		this.methods = methods;
		this.notices = notices.orderedStream().toList();
	}

	@GetMapping({ "/", "/account" })
	String account(Principal principal, Model model, @RequestParam(name = "notice", required = false) String notice,
			java.util.Locale locale) {
		Set<String> mine = this.accounts.withMergedAccounts(principal.getName());
		model.addAttribute("importantNotices",
				this.notices.stream().flatMap(n -> n.show(mine, locale).stream()).toList());
		List<AccountService.LinkedIdentity> identities = this.accounts.identities(principal.getName());
		Set<String> have = identities.stream().map(AccountService.LinkedIdentity::provider).collect(Collectors.toSet());
		model.addAttribute("user", this.accounts.find(principal.getName()).orElse(null));
		List<MethodView> methods = MethodView.group(identities, this.methods);
		model.addAttribute("methods", methods);
		model.addAttribute("canUnlink", methods.size() > 1);
		model.addAttribute("links", this.methods.links().stream().filter(l -> l.repeatable() || !have.contains(l.provider())).toList());
		// a method the account has, offered to change (e.g. the phone number, which takes more than one code)
		model.addAttribute("changeLinks",
				this.methods.links().stream().filter(l -> l.changeLabelKey() != null && have.contains(l.provider())).toList());
		model.addAttribute("released", Released.of(this.accounts.releasedIdentifiers(principal.getName()), have,
				this.methods, this.time));
		model.addAttribute("pictures", PictureView.of(this.accounts.pictureChoices(principal.getName()), identities,
				this.methods));
		if ("name-invalid".equals(notice)) {
			model.addAttribute("nameError", true);
		}
		else if ("picture-invalid".equals(notice)) {
			model.addAttribute("pictureError", true);
		}
		else if (notice != null && Set.of("linked", "merged", "unlinked", "last-method", "merge-declined", "name-corrected", "picture-chosen",
				"phone-changed", "phone-change-scheduled", "phone-change-cancelled")
			.contains(notice)) {
			model.addAttribute("noticeKey", "account.notice." + notice);
		}
		return "account/account";
	}

	/** The person's own correction of the name the gateway holds (PIPL Art. 46). */
	@PostMapping("/account/name")
	String correctName(Principal principal, @RequestParam(defaultValue = "") String name) {
		try {
			this.accounts.correctDisplayName(principal.getName(), name);
		}
		catch (IllegalArgumentException ex) {
			return "redirect:/account?notice=name-invalid";
		}
		return "redirect:/account?notice=name-corrected";
	}

	/**
	 * The person's choice of the avatar shown and released as {@code picture}: one their linked ways in brought, or
	 * none (PIPL Art. 46). Anything else — a URL, another account's link — is refused.
	 */
	@PostMapping("/account/picture")
	String choosePicture(Principal principal, @RequestParam(defaultValue = "") String picture) {
		try {
			this.accounts.choosePicture(principal.getName(), picture);
		}
		catch (IllegalArgumentException ex) {
			return "redirect:/account?notice=picture-invalid";
		}
		return "redirect:/account?notice=picture-chosen";
	}

	@PostMapping("/account/unlink")
	String unlink(Principal principal, @RequestParam List<String> identity) {
		List<AccountService.LinkedIdentity> all = this.accounts.identities(principal.getName());
		// a method shown as one entry goes as a whole (WeChat: its UnionID and every app's openid)
		Set<String> wholeMethods = all.stream()
			.filter(i -> identity.contains(i.id()))
			.map(i -> this.methods.methodOf(i.provider()).filter(SignInMethods.Method::oneEntry).orElse(null))
			.filter(java.util.Objects::nonNull)
			.map(SignInMethods.Method::id)
			.collect(Collectors.toSet());
		List<ExternalIdentity.IdentityKey> keys = all.stream()
			.filter(i -> identity.contains(i.id()) || this.methods.methodOf(i.provider())
				.filter(m -> m.oneEntry() && wholeMethods.contains(m.id()))
				.isPresent())
			.map(AccountService.LinkedIdentity::identityKey)
			.toList();
		if (keys.isEmpty()) {
			return "redirect:/account";
		}
		try {
			this.accounts.unlink(principal.getName(), keys);
		}
		catch (AccountService.LastLoginMethodException ex) {
			return "redirect:/account?notice=last-method";
		}
		return "redirect:/account?notice=unlinked";
	}

	@GetMapping("/account/merge")
	String confirmMerge(Principal principal, HttpSession session, Model model) {
		AccountLinking.PendingMerge pending = pending(principal, session);
		if (pending == null) {
			return "redirect:/account";
		}
		model.addAttribute("what", pending.what());
		model.addAttribute("other", this.accounts.find(pending.fromUserId()).orElse(null));
		model.addAttribute("otherMethods", MethodView.group(this.accounts.identities(pending.fromUserId()), this.methods));
		return "account/merge";
	}

	@PostMapping("/account/merge")
	String merge(Principal principal, HttpSession session, @RequestParam String decision) {
		AccountLinking.PendingMerge pending = pending(principal, session);
		session.removeAttribute(AccountLinking.PENDING_MERGE);
		if (pending == null) {
			return "redirect:/account";
		}
		if (!"confirm".equals(decision)) {
			return "redirect:/account?notice=merge-declined";
		}
		this.accounts.merge(pending.intoUserId(), pending.fromUserId(), pending.method());
		return "redirect:/account?notice=merged";
	}

	private static AccountLinking.PendingMerge pending(Principal principal, HttpSession session) {
		if (session.getAttribute(AccountLinking.PENDING_MERGE) instanceof AccountLinking.PendingMerge pending
				&& pending.intoUserId().equals(principal.getName())) {
			return pending;
		}
		return null;
	}

	/**
	 * A number this account lost because it passed to someone else, as its owner is told: which (masked), when,
	 * why, and where to bind a new one. Shown until the account has that kind of identifier again.
	 */
	record Released(String messageKey, String shownAs, String date, String bindHref) {

		static List<Released> of(List<AccountService.ReleasedIdentifier> released, Set<String> have,
				SignInMethods methods, dev.tongxing.server.kernel.DisplayTime time) {
			Set<String> shown = new java.util.HashSet<>();
			return released.stream()
				.filter(r -> !have.contains(r.provider()) && shown.add(r.provider())) // the latest of each kind
				.map(r -> new Released(
						"account.released." + (Set.of("carrier-signal", "inactive").contains(r.reason()) ? r.reason()
								: "other"),
						r.shownAs() == null ? "" : r.shownAs(), time.date(r.releasedAt()),
						methods.links().stream().filter(l -> l.provider().equals(r.provider())).map(SignInMethods.Link::href)
							.findFirst().orElse(null)))
				.toList();
		}
	}

	/**
	 * The avatar choice as the page shows it: one option per distinct picture, named by the way in it came from,
	 * and whether it is the one shown now ({@code chosen}: {@code latest}, {@code none} or the option's link id).
	 */
	record PictureView(List<Option> options, String chosen) {

		record Option(String identityId, String labelKey, String pictureUrl, boolean selected) {
		}

		static PictureView of(AccountService.PictureChoices choices, List<AccountService.LinkedIdentity> identities,
				SignInMethods methods) {
			List<Option> options = choices.options()
				.stream()
				.map(o -> new Option(o.identityId(),
						methods.methodOf(o.provider()).map(SignInMethods.Method::labelKey).orElse("account.method.other"),
						o.pictureUrl(), o.identityId().equals(choices.chosen())))
				.toList();
			return new PictureView(options, choices.chosen());
		}

		public boolean none() {
			return AccountService.PictureChoices.NONE.equals(this.chosen);
		}

	}

	/**
	 * A way to sign in as the page shows it: one entry per method that is shown as one (a WeChat UnionID and
	 * its apps' openids are one WeChat), else per identity, with a masked, display-safe detail, and the ids
	 * of the links it stands for.
	 */
	record MethodView(String labelKey, String detail, List<String> identityIds) {

		static List<MethodView> group(List<AccountService.LinkedIdentity> identities, SignInMethods methods) {
			Map<String, List<AccountService.LinkedIdentity>> byMethod = new java.util.LinkedHashMap<>();
			for (AccountService.LinkedIdentity identity : identities) {
				String entry = methods.methodOf(identity.provider())
					.filter(SignInMethods.Method::oneEntry)
					.map(m -> "method|" + m.id())
					.orElse(identity.provider() + "|" + identity.key());
				byMethod.computeIfAbsent(entry, m -> new java.util.ArrayList<>()).add(identity);
			}
			return byMethod.values().stream().map(links -> of(links, methods)).toList();
		}

		private static MethodView of(List<AccountService.LinkedIdentity> links, SignInMethods methods) {
			AccountService.LinkedIdentity first = links.get(0);
			List<String> ids = links.stream().map(AccountService.LinkedIdentity::id).toList();
			return methods.methodOf(first.provider())
				.map(m -> new MethodView(m.labelKey(), m.oneEntry() ? "" : m.detail().apply(first.key()), ids))
				.orElseGet(() -> new MethodView("account.method.other", "", ids));
		}
	}

}
