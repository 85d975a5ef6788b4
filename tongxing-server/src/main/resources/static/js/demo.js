// The demo relying party: an OAuth 2.1 public client in the browser (authorization code + PKCE S256).
(() => {
  const root = document.getElementById('demo');
  const issuer = root.dataset.issuer;
  // the page's texts in its language (zh-CN or en, from Accept-Language): data-text-* on #demo
  const text = (name, ...args) => root.dataset['text' + name[0].toUpperCase() + name.slice(1)]
    .replace(/\{(\d+)\}/g, (_, i) => args[i]);
  const clientId = 'demo';
  const redirectUri = issuer + '/demo/callback';
  const $ = (id) => document.getElementById(id);
  const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
  const sha256 = async (s) => b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
  const decode = (part) => JSON.parse(new TextDecoder().decode(
    Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
  const fail = (message) => { const e = $('error'); e.textContent = message; e.hidden = false; };
  let discovery;

  async function discover() {
    if (!discovery) {
      discovery = await (await fetch(issuer + '/.well-known/openid-configuration')).json();
    }
    return discovery;
  }

  async function signIn() {
    const d = await discover();
    const verifier = random(32), state = random(16), nonce = random(16);
    sessionStorage.setItem('demo', JSON.stringify({ verifier, state, nonce }));
    const url = new URL(d.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: redirectUri,
      scope: 'openid profile phone offline_access', state, nonce,
      code_challenge: await sha256(verifier), code_challenge_method: 'S256',
    });
    location.assign(url);
  }

  async function verifySignature(idToken) {
    const d = await discover();
    const [h, p, s] = idToken.split('.');
    const header = decode(h);
    const jwks = await (await fetch(d.jwks_uri)).json();
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    if (!jwk || header.alg !== 'RS256') return false;
    const key = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
    const sig = Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    return crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, sig, new TextEncoder().encode(h + '.' + p));
  }

  async function tokenRequest(params) {
    const d = await discover();
    const response = await fetch(d.token_endpoint, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: clientId, ...params }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error + (body.error_description ? ': ' + body.error_description : ''));
    return body;
  }

  async function show(tokens, expectedNonce) {
    const claims = decode(tokens.id_token.split('.')[1]);
    if (expectedNonce && claims.nonce !== expectedNonce) throw new Error(text('nonce'));
    if (claims.iss !== issuer || claims.aud !== clientId && !(claims.aud || []).includes(clientId)) {
      throw new Error(text('audience'));
    }
    sessionStorage.setItem('demo-tokens', JSON.stringify(tokens));
    // the verdict itself is a fixed token (apps and tests read it); the sentence beside it is in the page's language
    const valid = await verifySignature(tokens.id_token);
    $('signature').textContent = valid ? 'valid (RS256)' : 'INVALID';
    $('signature-text').textContent = valid ? text('valid') : text('invalid');
    $('claims').textContent = JSON.stringify(claims, null, 2);
    $('access-token').textContent = tokens.access_token;
    $('refresh-token').textContent = tokens.refresh_token || text('none');
    const d = await discover();
    const info = await fetch(d.userinfo_endpoint, { headers: { Authorization: 'Bearer ' + tokens.access_token } });
    $('userinfo').textContent = info.ok ? JSON.stringify(await info.json(), null, 2) : text('http', info.status);
    $('signed-out').hidden = true;
    $('signed-in').hidden = false;
  }

  async function callback() {
    const params = new URLSearchParams(location.search);
    const saved = JSON.parse(sessionStorage.getItem('demo') || '{}');
    sessionStorage.removeItem('demo');
    history.replaceState(null, '', '/demo/');
    if (params.get('error')) throw new Error(params.get('error') + ': ' + (params.get('error_description') || ''));
    if (!saved.state || params.get('state') !== saved.state) throw new Error(text('state'));
    if (params.get('iss') !== issuer) throw new Error(text('iss'));
    const tokens = await tokenRequest({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri,
      code_verifier: saved.verifier,
    });
    await show(tokens, saved.nonce);
  }

  async function refresh() {
    const tokens = JSON.parse(sessionStorage.getItem('demo-tokens'));
    const next = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    await show(next);
  }

  async function signOut() {
    const d = await discover();
    const tokens = JSON.parse(sessionStorage.getItem('demo-tokens') || '{}');
    sessionStorage.removeItem('demo-tokens');
    const url = new URL(d.end_session_endpoint);
    url.search = new URLSearchParams({
      id_token_hint: tokens.id_token || '', post_logout_redirect_uri: issuer + '/demo/', client_id: clientId,
    });
    location.assign(url);
  }

  $('sign-in').addEventListener('click', () => signIn().catch((e) => fail(e.message)));
  $('refresh').addEventListener('click', () => refresh().catch((e) => fail(e.message)));
  $('sign-out').addEventListener('click', () => signOut().catch((e) => fail(e.message)));
  if (location.pathname === '/demo/callback') {
    callback().catch((e) => fail(e.message));
  } else if (sessionStorage.getItem('demo-tokens')) {
    show(JSON.parse(sessionStorage.getItem('demo-tokens'))).catch((e) => fail(e.message));
  }
})();
