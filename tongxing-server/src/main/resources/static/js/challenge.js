// Solves the gateway's proof-of-work challenge (hashcash with SHA-256): finds a number whose hash together
// with the challenge starts with the required zero bits, puts it in the form and enables the send button.
(function () {
  var box = document.querySelector('[data-testid="phone-challenge"]');
  if (!box || box.getAttribute('data-challenge-kind') !== 'pow' || !window.crypto || !crypto.subtle) {
    return;
  }
  var form = box.closest('form');
  var button = form.querySelector('[data-action="send-code"]');
  var challenge = box.getAttribute('data-challenge');
  var bits = parseInt(box.getAttribute('data-challenge-difficulty'), 10);
  var encoder = new TextEncoder();
  if (button) { button.disabled = true; }

  function zeroBits(bytes) {
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { count++; b <<= 1; }
      break;
    }
    return count;
  }

  async function solve() {
    for (var nonce = 0; ; nonce++) {
      var hash = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(challenge + ':' + nonce)));
      if (zeroBits(hash) >= bits) {
        form.querySelector('[name="challenge_solution"]').value = String(nonce);
        var status = box.querySelector('[data-testid="phone-challenge-status"]');
        status.textContent = status.getAttribute('data-ready-text');
        box.setAttribute('data-challenge-solved', 'true');
        if (button) { button.disabled = false; }
        return;
      }
    }
  }
  solve();
})();
