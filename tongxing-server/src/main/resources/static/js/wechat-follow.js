// Follow-to-sign-in: waits for the QR code's scan with a long poll (the server answers when the code is scanned,
// on whichever node WeChat's push arrives, or after its wait; then the page asks again): one request per wait, never
// a poll a second. A failed request is retried after a pause that grows, so an outage brings no storm.
(function () {
	'use strict';
	var page = document.querySelector('[data-testid="wechat-follow"]');
	if (!page || !window.fetch) {
		return;
	}
	var statusUrl = page.getAttribute('data-status-url');
	var expiresAt = parseInt(page.getAttribute('data-expires-at'), 10);
	var error = page.querySelector('[data-testid="follow-error"]');
	var pause = 2000;

	function show(message, status) {
		page.setAttribute('data-status', status);
		error.textContent = message;
		error.hidden = false;
	}

	function wait() {
		if (Date.now() > expiresAt + 5000) {
			show(page.getAttribute('data-expired'), 'expired');
			return;
		}
		fetch(statusUrl, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
			.then(function (response) {
				if (!response.ok) {
					throw new Error('HTTP ' + response.status);
				}
				return response.json();
			})
			.then(function (answer) {
				pause = 2000;
				if (answer.status === 'scanned' && answer.next) {
					page.setAttribute('data-status', 'scanned');
					window.location.assign(answer.next);
				} else if (answer.status === 'expired') {
					show(page.getAttribute('data-expired'), 'expired');
				} else {
					wait();
				}
			})
			.catch(function () {
				show(page.getAttribute('data-retry'), 'retrying');
				setTimeout(function () {
					error.hidden = true;
					wait();
				}, pause);
				pause = Math.min(pause * 2, 30000);
			});
	}

	wait();
}());
