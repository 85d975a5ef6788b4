// Passkeys in the browser: the login page's button and autofill, and "add a passkey" on the account page.
// The server's relying party (Spring Security, WebAuthn4J) checks everything; this only carries bytes between
// navigator.credentials and the server, as base64url.
(function () {
	'use strict';

	function toBuffer(text) {
		var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
		while (base64.length % 4) {
			base64 += '=';
		}
		var binary = atob(base64);
		var bytes = new Uint8Array(binary.length);
		for (var i = 0; i < binary.length; i++) {
			bytes[i] = binary.charCodeAt(i);
		}
		return bytes.buffer;
	}

	function toText(buffer) {
		if (!buffer) {
			return null;
		}
		var bytes = new Uint8Array(buffer);
		var binary = '';
		for (var i = 0; i < bytes.length; i++) {
			binary += String.fromCharCode(bytes[i]);
		}
		return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
	}

	// the server leaves out nothing it has: a null member is no value to the browser's dictionaries
	function withoutNulls(value) {
		if (Array.isArray(value)) {
			return value.map(withoutNulls);
		}
		if (value && typeof value === 'object') {
			var clean = {};
			Object.keys(value).forEach(function (key) {
				if (value[key] !== null && value[key] !== undefined) {
					clean[key] = withoutNulls(value[key]);
				}
			});
			return clean;
		}
		return value;
	}

	function descriptors(list) {
		return (list || []).map(function (d) {
			var descriptor = { type: d.type, id: toBuffer(d.id) };
			if (d.transports) {
				descriptor.transports = d.transports;
			}
			return descriptor;
		});
	}

	function requestOptions(options) {
		var o = withoutNulls(options);
		o.challenge = toBuffer(o.challenge);
		o.allowCredentials = descriptors(o.allowCredentials);
		return o;
	}

	function creationOptions(options) {
		var o = withoutNulls(options);
		o.challenge = toBuffer(o.challenge);
		o.user.id = toBuffer(o.user.id);
		o.excludeCredentials = descriptors(o.excludeCredentials);
		return o;
	}

	function assertion(credential) {
		var r = credential.response;
		return {
			id: credential.id,
			rawId: toText(credential.rawId),
			type: credential.type,
			response: {
				authenticatorData: toText(r.authenticatorData),
				clientDataJSON: toText(r.clientDataJSON),
				signature: toText(r.signature),
				userHandle: toText(r.userHandle)
			},
			clientExtensionResults: credential.getClientExtensionResults(),
			authenticatorAttachment: credential.authenticatorAttachment
		};
	}

	function attestation(credential) {
		var r = credential.response;
		return {
			id: credential.id,
			rawId: toText(credential.rawId),
			type: credential.type,
			response: {
				attestationObject: toText(r.attestationObject),
				clientDataJSON: toText(r.clientDataJSON),
				transports: r.getTransports ? r.getTransports() : []
			},
			clientExtensionResults: credential.getClientExtensionResults(),
			authenticatorAttachment: credential.authenticatorAttachment
		};
	}

	function post(url, body, headers) {
		var all = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
		Object.keys(headers || {}).forEach(function (name) {
			all[name] = headers[name];
		});
		return fetch(url, { method: 'POST', credentials: 'same-origin', headers: all, body: JSON.stringify(body || {}) })
			.then(function (response) {
				return response.json().then(function (json) {
					return { ok: response.ok, body: json };
				}, function () {
					return { ok: response.ok, body: {} };
				});
			});
	}

	function show(box, text) {
		var error = box.querySelector('[data-testid=passkey-error]');
		error.textContent = text;
		error.setAttribute('role', 'alert');
		error.hidden = false;
	}

	function supported() {
		return !!(window.PublicKeyCredential && navigator.credentials);
	}

	function signInBox(box) {
		var button = box.querySelector('[data-provider=passkey]');
		var waiting = null;

		function signIn(mediation) {
			if (waiting) {
				waiting.abort();
			}
			var controller = new AbortController();
			waiting = controller;
			return post(box.dataset.options).then(function (started) {
				if (!started.ok) {
					var refused = new Error('options');
					refused.text = started.body.error;
					throw refused;
				}
				var ask = { publicKey: requestOptions(started.body.publicKey), signal: controller.signal };
				if (mediation) {
					ask.mediation = mediation;
				}
				return navigator.credentials.get(ask).then(function (credential) {
					return post(box.dataset.signIn, { state: started.body.state, credential: assertion(credential) });
				});
			}).then(function (finished) {
				if (finished.ok && finished.body.redirect) {
					window.location.assign(finished.body.redirect);
				}
				else {
					show(box, finished.body.error || box.dataset.failed);
				}
			}).catch(function (error) {
				if (controller.signal.aborted) {
					return; // replaced by the button's own request
				}
				show(box, error && error.name === 'NotAllowedError' ? box.dataset.cancelled
					: (error && error.text) || box.dataset.failed);
			});
		}

		button.addEventListener('click', function (event) {
			event.preventDefault();
			if (!supported()) {
				show(box, box.dataset.unsupported);
				return;
			}
			signIn(null);
		});
		if (supported() && PublicKeyCredential.isConditionalMediationAvailable) {
			PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
				if (available) {
					signIn('conditional');
				}
			});
		}
	}

	function addForm(form) {
		form.addEventListener('submit', function (event) {
			event.preventDefault();
			if (!supported()) {
				show(form, form.dataset.unsupported);
				return;
			}
			var csrf = form.querySelector('input[name=_csrf]');
			var headers = csrf ? { 'X-CSRF-TOKEN': csrf.value } : {};
			var label = form.querySelector('input[name=label]').value;
			post(form.dataset.options, {}, headers).then(function (started) {
				if (!started.ok) {
					throw new Error('options');
				}
				return navigator.credentials.create({ publicKey: creationOptions(started.body.publicKey) })
					.then(function (credential) {
						return post(form.getAttribute('action'),
							{ state: started.body.state, label: label, credential: attestation(credential) }, headers);
					});
			}).then(function (finished) {
				if (finished.ok && finished.body.redirect) {
					window.location.assign(finished.body.redirect);
				}
				else {
					show(form, finished.body.error || form.dataset.failed);
				}
			}).catch(function (error) {
				show(form, error && error.name === 'NotAllowedError' ? form.dataset.cancelled : form.dataset.failed);
			});
		});
	}

	document.querySelectorAll('[data-passkey-login]').forEach(signInBox);
	document.querySelectorAll('[data-passkey-add]').forEach(addForm);
}());
