// The login helper against a running gateway and the WeChat emulator, which stands in for wx.login(): it mints
// the mini-program login codes WeChat would. Run by the gateway's build (MiniProgramLoginHelperTest) with:
//   TONGXING_ISSUER          the gateway, e.g. http://127.0.0.1:8080
//   WECHAT_EMULATOR_URL      the emulator, e.g. http://127.0.0.1:9080
//   TONGXING_CLIENT_ID / TONGXING_CLIENT_SECRET   a confidential client with the token-exchange grant
//   WECHAT_APPID             a mini-program app of both the emulator and the gateway (tongxing.wechat.apps[])
//   TONGXING_POLICY_VERSION  the gateway's current privacy-policy version
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { createTongxingBackend } from '../server/tongxing-backend.mjs';

const require = createRequire(import.meta.url);
const { createTongxingLogin, STORAGE_KEY } = require('../miniprogram/utils/tongxing-login.js');

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(name + ' is not set: see the top of ' + import.meta.url);
  return value;
};
const issuer = env('TONGXING_ISSUER');
const emulator = env('WECHAT_EMULATOR_URL');
const appid = env('WECHAT_APPID');
const policyVersion = env('TONGXING_POLICY_VERSION');

let server;
let backendUrl;
const calls = []; // the paths the mini program called on its backend

before(async () => {
  const backend = createTongxingBackend({
    issuer, appid, clientId: env('TONGXING_CLIENT_ID'), clientSecret: env('TONGXING_CLIENT_SECRET'),
  });
  const handle = backend.handler();
  server = http.createServer((request, response) => {
    calls.push(request.url);
    handle(request, response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  backendUrl = 'http://127.0.0.1:' + server.address().port;
});

after(() => new Promise((resolve) => server.close(resolve)));

/** The parts of the mini program's wx object the helper uses; wx.login() asks the emulator for a code for `user`. */
function emulatedWx(user) {
  const storage = new Map();
  const wx = {
    logins: 0,
    login({ success, fail }) {
      wx.logins++;
      fetch(emulator + '/_emulator/miniprogram/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ appid, user }),
      }).then((r) => r.json()).then(({ code }) => success({ code, errMsg: 'login:ok' }), (e) => fail({ errMsg: 'login:fail ' + e }));
    },
    request({ url, method, data, header, success, fail }) {
      fetch(url, { method, headers: header, body: JSON.stringify(data) })
        .then(async (r) => {
          const text = await r.text();
          let body = text;
          try { body = JSON.parse(text); } catch { /* wx.request hands over text it cannot parse */ }
          success({ statusCode: r.status, data: body, header: Object.fromEntries(r.headers) });
        }, (e) => fail({ errMsg: 'request:fail ' + e }));
    },
    getStorageSync: (key) => (storage.has(key) ? structuredClone(storage.get(key)) : ''),
    setStorageSync: (key, value) => storage.set(key, structuredClone(value)),
    removeStorageSync: (key) => storage.delete(key),
  };
  return wx;
}

/** A clock the test moves. */
function clock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms) => { offset += ms; } };
}

async function userinfo(accessToken) {
  const d = await (await fetch(issuer + '/.well-known/openid-configuration')).json();
  const response = await fetch(d.userinfo_endpoint, { headers: { Authorization: 'Bearer ' + accessToken } });
  return { status: response.status, body: response.status === 200 ? await response.json() : null };
}

async function refreshDirectly(refreshToken) {
  return fetch(backendUrl + '/tongxing/refresh', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: refreshToken }),
  });
}

test('wx.login() → token exchange: the person is signed in, with tokens the gateway accepts', async () => {
  const wx = emulatedWx('alice');
  const login = createTongxingLogin({ wx, backend: backendUrl, policyVersion });
  const accessToken = await login.accessToken();
  assert.equal(wx.logins, 1);
  const kept = wx.getStorageSync(STORAGE_KEY);
  assert.ok(kept.refreshToken, 'a refresh token (offline_access)');
  assert.ok(kept.expiresAt > Date.now() + 3600_000, 'the access token lives for hours');
  const info = await userinfo(accessToken);
  assert.equal(info.status, 200);
  assert.equal(info.body.sub, login.person().sub);
  assert.match(login.person().sub, /\S/);

  // the same WeChat user is the same person on a second device; another user is another person
  const again = createTongxingLogin({ wx: emulatedWx('alice'), backend: backendUrl, policyVersion });
  await again.accessToken();
  assert.equal(again.person().sub, login.person().sub);
  const bob = createTongxingLogin({ wx: emulatedWx('bob'), backend: backendUrl, policyVersion });
  await bob.accessToken();
  assert.notEqual(bob.person().sub, login.person().sub);
});

test('a live access token is used as it is; shortly before expiry it is refreshed, and the refresh token rotates', async () => {
  const wx = emulatedWx('alice');
  const time = clock();
  const login = createTongxingLogin({ wx, backend: backendUrl, policyVersion, now: time.now });
  const first = await login.accessToken();
  const before = wx.getStorageSync(STORAGE_KEY);

  calls.length = 0;
  time.advance(60 * 60_000); // an hour later: still good for another hour
  assert.equal(await login.accessToken(), first);
  assert.deepEqual(calls, [], 'no call at all');

  time.advance(before.expiresAt - time.now() - 299_000); // 299 s before expiry: inside the 300 s margin
  const second = await login.accessToken();
  assert.notEqual(second, first);
  assert.deepEqual(calls, ['/tongxing/refresh']);
  const after = wx.getStorageSync(STORAGE_KEY);
  assert.notEqual(after.refreshToken, before.refreshToken, 'rotated');
  assert.equal(after.sub, before.sub);
  assert.equal((await userinfo(second)).status, 200);
  assert.equal(wx.logins, 1, 'no new wx.login()');
});

test('callers asking at once share one refresh: a rotated refresh token is never sent twice', async () => {
  const wx = emulatedWx('bob');
  const time = clock();
  const login = createTongxingLogin({ wx, backend: backendUrl, policyVersion, now: time.now });
  await login.accessToken();
  time.advance(7200_000);
  calls.length = 0;
  const tokens = await Promise.all([login.accessToken(), login.accessToken(), login.accessToken()]);
  assert.deepEqual(calls, ['/tongxing/refresh']);
  assert.equal(new Set(tokens).size, 1);
  assert.equal((await userinfo(tokens[0])).status, 200);
});

test('invalid_grant on refresh (here: the gateway revoked the family after a rotated token was reused) signs in again', async () => {
  const wx = emulatedWx('alice');
  const time = clock();
  const login = createTongxingLogin({ wx, backend: backendUrl, policyVersion, now: time.now });
  await login.accessToken();
  const sub = login.person().sub;
  const stale = wx.getStorageSync(STORAGE_KEY).refreshToken;
  time.advance(7200_000);
  await login.accessToken(); // rotates: `stale` is spent

  // someone replays the spent refresh token: refused, and its whole family revoked (reuse detection)
  const replay = await refreshDirectly(stale);
  assert.equal(replay.status, 400);
  assert.equal((await replay.json()).error, 'invalid_grant');

  time.advance(7200_000);
  calls.length = 0;
  const fresh = await login.accessToken();
  assert.deepEqual(calls, ['/tongxing/refresh', '/tongxing/login'], 'refused, then signed in again');
  assert.equal(wx.logins, 2, 'with a new wx.login() code');
  assert.equal(login.person().sub, sub);
  assert.equal((await userinfo(fresh)).status, 200);
});

test('an outdated privacy-policy version is refused with the current one, before WeChat sees the code', async () => {
  const wx = emulatedWx('alice');
  const login = createTongxingLogin({ wx, backend: backendUrl, policyVersion: '0.1' });
  await assert.rejects(login.accessToken(), (e) => {
    assert.equal(e.error, 'consent_required');
    assert.equal(e.data.policy_version, policyVersion);
    assert.match(e.data.policy_uri, /\/privacy\/policy$/);
    return true;
  });
  assert.equal(wx.getStorageSync(STORAGE_KEY), '', 'nothing kept');
});

test('signing out revokes the refresh token at the gateway', async () => {
  const wx = emulatedWx('bob');
  const login = createTongxingLogin({ wx, backend: backendUrl, policyVersion });
  await login.accessToken();
  const { refreshToken } = wx.getStorageSync(STORAGE_KEY);
  await login.signOut();
  assert.equal(login.person(), null);
  const refused = await refreshDirectly(refreshToken);
  assert.equal(refused.status, 400);
  assert.equal((await refused.json()).error, 'invalid_grant');
});
