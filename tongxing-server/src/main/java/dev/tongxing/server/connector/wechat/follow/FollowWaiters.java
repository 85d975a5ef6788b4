package dev.tongxing.server.connector.wechat.follow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The browsers waiting on this node for their QR code to be scanned (long polls, each a parked request that holds
 * no thread). A scan this node takes wakes its waiter at once; a scan another node took is found by one query for
 * all of this node's waiters every {@value #CHECK_MILLIS} ms, and only while some are waiting: the database, not
 * this map, is the truth, so a node that restarts loses nothing but the parked requests, which the page renews.
 */
@Component
class FollowWaiters {

	private static final Logger log = LoggerFactory.getLogger(FollowWaiters.class);

	static final long CHECK_MILLIS = 300;

	/** By the state digest of the login waited on. */
	private final Map<String, List<Runnable>> waiting = new ConcurrentHashMap<>();

	private final FollowScenes scenes;

	FollowWaiters(FollowScenes scenes) {
		this.scenes = scenes;
	}

	/** Runs {@code onScan} once the login's code is scanned (on any node); {@link #leave} when the wait ends. */
	void await(String digest, Runnable onScan) {
		this.waiting.computeIfAbsent(digest, d -> new CopyOnWriteArrayList<>()).add(onScan);
	}

	void leave(String digest, Runnable onScan) {
		this.waiting.computeIfPresent(digest, (d, list) -> {
			list.remove(onScan);
			return list.isEmpty() ? null : list;
		});
	}

	/** A scan recorded on this node. */
	void scanned(String digest) {
		List<Runnable> woken = this.waiting.remove(digest);
		if (woken != null) {
			woken.forEach(Runnable::run);
		}
	}

	int size() {
		return this.waiting.size();
	}

	@Scheduled(fixedDelay = CHECK_MILLIS)
	void checkOtherNodes() {
		if (this.waiting.isEmpty()) {
			return;
		}
		try {
			List<String> digests = List.copyOf(this.waiting.keySet());
			// in slices, so a busy node's query stays a short indexed lookup
			for (int i = 0; i < digests.size(); i += 500) {
				this.scenes.scanned(digests.subList(i, Math.min(digests.size(), i + 500))).forEach(this::scanned);
			}
		}
		catch (RuntimeException ex) {
			// the database is away for a moment: the waits time out and the pages ask again
			log.warn("Could not check the follow-to-sign-in codes waited on: {}", ex.getMessage());
		}
	}

}
