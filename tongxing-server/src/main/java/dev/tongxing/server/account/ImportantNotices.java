package dev.tongxing.server.account;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Notices another package must bring to a person's attention at their next visit to their account page (e.g.
 * a personal-data incident that touched them): a banner each, linking to the notice.
 */
public interface ImportantNotices {

	/** @param href where the whole notice is, on this gateway */
	record Notice(String title, String href) {
	}

	/**
	 * The notices to show; being shown is their delivery, so implementations record it.
	 * @param accountIds the person's account and every account merged into it
	 */
	List<Notice> show(Collection<String> accountIds, Locale locale);

	/**
	 * The notices about a child for the dashboard of a guardian who consented for them (未成年人网络保护条例 Art. 35);
	 * listing them is not their delivery (the guardian opening one is, recorded by its owner).
	 */
	default List<Notice> forGuardian(String childId, Locale locale) {
		return List.of();
	}

}
