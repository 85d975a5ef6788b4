// The mini program's side of "sign in with Tongxing": wx.login() → your backend exchanges the code at the
// gateway → the access and refresh tokens are kept in the mini program's storage → refreshed shortly before the
// access token expires (the refresh token rotates: each is used once) → when a refresh is refused (invalid_grant:
// revoked, expired, or reused) the person is signed in again with a new wx.login() code, silently.
// Plain JavaScript for the mini program's runtime (CommonJS, wx.* APIs only); no build step, no dependencies.

const STORAGE_KEY = 'tongxing.tokens';

function call(api, options) {
  return new Promise((resolve, reject) => api({ ...options, success: resolve, fail: reject }));
}

/** An error from the backend (and so the gateway): `error` is the OAuth error code. */
class TongxingLoginError extends Error {
  constructor(statusCode, data) {
    super((data && data.error) || 'HTTP ' + statusCode);
    this.statusCode = statusCode;
    this.error = data && data.error;
    this.data = data;
  }
}

/**
 * @param {object} options
 * @param {object} options.wx            the mini program's wx object (tests pass a stand-in)
 * @param {string} options.backend       your backend's base URL (a request domain registered for the mini program)
 * @param {string} options.policyVersion the privacy-policy version the mini program shows and the person accepted
 * @param {number} [options.refreshMargin] refresh this many seconds before the access token expires (default 300)
 * @param {function} [options.now]       the clock, in milliseconds (default Date.now)
 */
function createTongxingLogin({ wx, backend, policyVersion, refreshMargin = 300, now = Date.now }) {
  let refreshing = null;
  let signingIn = null;

  async function post(path, data) {
    const response = await call(wx.request, {
      url: backend + path, method: 'POST', data, header: { 'content-type': 'application/json' },
    });
    if (response.statusCode !== 200) throw new TongxingLoginError(response.statusCode, response.data);
    return response.data;
  }

  function keep(tokens) {
    const kept = {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: now() + tokens.expires_in * 1000,
      sub: tokens.sub,
      name: tokens.name,
    };
    wx.setStorageSync(STORAGE_KEY, kept);
    return kept;
  }

  function stored() {
    return wx.getStorageSync(STORAGE_KEY) || null;
  }

  /** Signs in with a new wx.login() code; one at a time, however many callers ask. */
  function signIn(extra = {}) {
    if (!signingIn) {
      signingIn = (async () => {
        const { code } = await call(wx.login, {});
        return keep(await post('/tongxing/login', { code, policyVersion, ...extra }));
      })().finally(() => { signingIn = null; });
    }
    return signingIn;
  }

  /** Rotates the refresh token; one refresh at a time (a second use of a rotated token would revoke them all). */
  function refresh(current) {
    if (!refreshing) {
      refreshing = (async () => {
        try {
          return keep(await post('/tongxing/refresh', { refresh_token: current.refreshToken }));
        } catch (e) {
          if (e.error !== 'invalid_grant') throw e; // the gateway or network failing: keep the tokens, try later
          wx.removeStorageSync(STORAGE_KEY);
          return signIn();
        }
      })().finally(() => { refreshing = null; });
    }
    return refreshing;
  }

  return {
    signIn,

    /** An access token good for at least refreshMargin seconds more: refreshed, or signed in anew, as needed. */
    async accessToken() {
      if (signingIn) return (await signingIn).accessToken;
      if (refreshing) return (await refreshing).accessToken;
      const current = stored();
      if (!current) return (await signIn()).accessToken;
      if (!current.refreshToken) {
        return now() < current.expiresAt - refreshMargin * 1000 ? current.accessToken : (await signIn()).accessToken;
      }
      if (now() < current.expiresAt - refreshMargin * 1000) return current.accessToken;
      return (await refresh(current)).accessToken;
    },

    /** Who is signed in ({sub, name}), or null. */
    person() {
      const current = stored();
      return current ? { sub: current.sub, name: current.name } : null;
    },

    /** Signs out: the tokens are forgotten here and the refresh token revoked at the gateway. */
    async signOut() {
      const current = stored();
      wx.removeStorageSync(STORAGE_KEY);
      if (current && current.refreshToken) await post('/tongxing/logout', { refresh_token: current.refreshToken });
    },
  };
}

module.exports = { createTongxingLogin, TongxingLoginError, STORAGE_KEY };
