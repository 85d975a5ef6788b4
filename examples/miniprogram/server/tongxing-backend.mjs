// The mini program's backend side of "sign in with Tongxing": it holds the client secret (a mini program cannot
// keep one), exchanges the person's wx.login() code at the gateway's token endpoint (OAuth 2.0 Token Exchange,
// RFC 8693, as the gateway's README describes), refreshes and revokes tokens for the mini program.
// Node 18+, no dependencies: the global fetch and node:http.

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const WECHAT_CODE = 'urn:tongxing:token-type:wechat-code';

/** An error the gateway answered: `error` is its OAuth error code (invalid_grant, consent_required, ...). */
export class TongxingError extends Error {
  constructor(status, body) {
    super(body.error + (body.error_description ? ': ' + body.error_description : ''));
    this.status = status;
    this.error = body.error;
    this.body = body;
  }
}

/**
 * @param {object} options
 * @param {string} options.issuer        the gateway, e.g. https://login.example.com (its discovery document names the endpoints)
 * @param {string} options.clientId      this backend's client at the gateway: confidential, with the token-exchange grant
 * @param {string} options.clientSecret
 * @param {string} options.appid         the mini program's WeChat appid (the app that issued the codes)
 * @param {string} [options.scope]       what to ask for; offline_access brings a refresh token
 */
export function createTongxingBackend({ issuer, clientId, clientSecret, appid, scope = 'openid profile offline_access' }) {
  const basic = 'Basic ' + Buffer.from(encodeURIComponent(clientId) + ':' + encodeURIComponent(clientSecret)).toString('base64');
  let discovery;

  async function endpoints() {
    if (!discovery) {
      const response = await fetch(issuer + '/.well-known/openid-configuration');
      if (!response.ok) throw new Error('discovery at ' + issuer + ': HTTP ' + response.status);
      discovery = await response.json();
    }
    return discovery;
  }

  async function post(endpoint, form) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(Object.entries(form).filter(([, value]) => value != null)),
    });
    const text = await response.text();
    const body = text ? JSON.parse(text) : {};
    if (!response.ok) throw new TongxingError(response.status, body);
    return body;
  }

  /** What the mini program gets: the tokens, their lifetime, and who signed in (from the ID token). */
  function forTheMiniProgram(tokens) {
    const claims = tokens.id_token ? JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url')) : {};
    return {
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      expires_in: tokens.expires_in,
      scope: tokens.scope,
      // read straight from the gateway's token endpoint over TLS, so not verified again (OIDC Core §3.1.3.7)
      sub: claims.sub,
      name: claims.name,
      ...(tokens.phone_binding ? { phone_binding: tokens.phone_binding } : {}),
    };
  }

  const backend = {
    /**
     * Signs the person in with the code wx.login() gave the mini program.
     * policyVersion: the privacy-policy version the mini program showed and the person accepted (the gateway
     * answers consent_required, with the current policy_version and policy_uri, for a missing or old one).
     * phoneCode and phoneConsent (optional): a getPhoneNumber code and the phone-number notice version accepted.
     */
    async login({ code, policyVersion, phoneCode, phoneConsent }) {
      const { token_endpoint } = await endpoints();
      return forTheMiniProgram(await post(token_endpoint, {
        grant_type: TOKEN_EXCHANGE,
        subject_token: code,
        subject_token_type: WECHAT_CODE,
        appid,
        policy_version: policyVersion,
        scope,
        phone_code: phoneCode,
        phone_consent: phoneConsent,
      }));
    },

    /** A new pair for the refresh token: it rotates, and the old one is dead (reusing it revokes both). */
    async refresh(refreshToken) {
      const { token_endpoint } = await endpoints();
      return forTheMiniProgram(await post(token_endpoint, { grant_type: 'refresh_token', refresh_token: refreshToken }));
    },

    /** Signing out: the refresh token (and so its access tokens' family) is revoked (RFC 7009). */
    async logout(refreshToken) {
      const { revocation_endpoint } = await endpoints();
      await post(revocation_endpoint, { token: refreshToken, token_type_hint: 'refresh_token' });
      return {};
    },

    /**
     * The three calls as JSON endpoints for node:http (or as the model for your framework's routes):
     * POST /tongxing/login {code, policyVersion, phoneCode?, phoneConsent?}, POST /tongxing/refresh
     * {refresh_token}, POST /tongxing/logout {refresh_token}. The gateway's errors pass through with their status.
     */
    handler() {
      const routes = {
        '/tongxing/login': (body) => backend.login(body),
        '/tongxing/refresh': (body) => backend.refresh(body.refresh_token),
        '/tongxing/logout': (body) => backend.logout(body.refresh_token),
      };
      return async (request, response) => {
        const reply = (status, body) => {
          response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
          response.end(JSON.stringify(body));
        };
        const route = routes[new URL(request.url, 'http://backend').pathname];
        if (request.method !== 'POST' || !route) return reply(404, { error: 'not_found' });
        try {
          let raw = '';
          for await (const chunk of request) raw += chunk;
          reply(200, await route(raw ? JSON.parse(raw) : {}));
        } catch (e) {
          if (e instanceof TongxingError) return reply(e.status, e.body);
          reply(502, { error: 'gateway_unreachable', error_description: String(e.message || e) });
        }
      };
    },
  };
  return backend;
}
