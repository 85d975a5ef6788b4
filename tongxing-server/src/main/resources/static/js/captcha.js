// The SMS challenge's captcha widget (Tencent Cloud Captcha or Aliyun captcha 2.0), on the page that shows the
// challenge only: loads the provider's script named by the page, opens the widget on "Verify", puts its answer
// into the form and enables the send button. The gateway checks the answer with the provider's server API.
(function () {
  var box = document.querySelector('[data-testid="phone-challenge"]');
  if (!box) { return; }
  var kind = box.getAttribute('data-challenge-kind');
  if (kind !== 'tencent' && kind !== 'aliyun') { return; }
  var widget = box.querySelector('[data-testid="phone-captcha"]');
  var form = box.closest('form');
  var send = form.querySelector('[data-action="send-code"]');
  var open = box.querySelector('[data-action="open-captcha"]');
  var status = box.querySelector('[data-testid="phone-challenge-status"]');
  var lang = widget.getAttribute('data-captcha-lang');
  if (send) { send.disabled = true; }

  function solved(answer, randstr) {
    form.querySelector('[name="challenge_solution"]').value = answer;
    if (randstr !== undefined) { form.querySelector('[name="challenge_randstr"]').value = randstr; }
    status.textContent = status.getAttribute('data-ready-text');
    box.setAttribute('data-challenge-solved', 'true');
    open.hidden = true;
    if (send) { send.disabled = false; }
  }

  function failed() {
    status.textContent = status.getAttribute('data-failed-text');
    box.setAttribute('data-challenge-failed', 'true');
  }

  if (kind === 'aliyun') {
    // the V3 widget reads its instance from this global before its script loads
    window.AliyunCaptchaConfig = { region: widget.getAttribute('data-captcha-region'),
      prefix: widget.getAttribute('data-captcha-prefix') };
  }
  var script = document.createElement('script');
  script.src = widget.getAttribute('data-captcha-script');
  script.onerror = failed;
  script.onload = function () {
    if (kind === 'tencent') {
      var captcha = new window.TencentCaptcha(widget.getAttribute('data-captcha-app-id'), function (res) {
        // ret 0: passed (a "terror_" ticket is the widget's own fallback, which the server would refuse);
        // ret 2: the person closed it
        if (res && res.ret === 0 && res.ticket && res.ticket.indexOf('terror_') !== 0) {
          solved(res.ticket, res.randstr);
        } else if (!res || res.ret !== 2) {
          failed();
        }
      }, { userLanguage: lang === 'cn' ? 'zh-cn' : 'en' });
      open.addEventListener('click', function () { captcha.show(); });
    } else {
      window.initAliyunCaptcha({
        SceneId: widget.getAttribute('data-captcha-scene-id'),
        mode: 'popup',
        element: '#captcha-element',
        button: '#captcha-button',
        success: function (captchaVerifyParam) { solved(captchaVerifyParam); },
        fail: function () { failed(); },
        getInstance: function () {},
        language: lang === 'cn' ? 'cn' : 'en'
      });
    }
  };
  document.head.appendChild(script);
})();
