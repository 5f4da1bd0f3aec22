// The `phoneNumber` route (issue 19): WeChat's one-tap code (手机号快速验证 / 实时验证) exchanged by
// 云调用 in the built cloud function, against the phone-number fixture of the cloud backends
// (tests/cloud/phone-exchange.js: WeChat's answers as wx-server-sdk 4.0.2 hands them over; with
// ZHENZISMS_TEST_CLOUD=real the real SDK and our local CloudBase endpoint, through
// tests/cloudbase/real-sdk.test.js). Every path: a success is the same record, token and
// checkVerified as a validated SMS code, with via 'phone'; each failure is a typed row of the one
// table with fallback 'sms' and nothing recorded; WeChat's errmsg and rid reach the log, escaped,
// never the reply; the per-caller meter; the event as attacker input; and end to end from the
// phone's verifyPhoneNumber in the simulator.
'use strict';
const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startSandbox } = require('../../sandbox/server.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { createMiniProgram } = require('../simulator');
const { cloudFunction, ROOT, FUNCTION_DIR, INDEX, NUMBER, loadCloudFunction, setEnv, clearEnv, destroyAgents, codeFromInbox, documents, fakeClock, capturingErrors } = require('./helpers.js');

const SECRET = 'PHONE-SECRET-5c7d21';
const KEY = 'verify-key-phone-test-0123456789abcdef';
const SMS = /短信/;

let sb;
let env;
before(async () => {
  sb = await startSandbox({ port: 0, fixture: { apps: [{ appId: '10001', appSecret: SECRET, appName: '云短信体验', balance: 1000 }] } });
  env = { ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: SECRET, ZHENZI_API_URL: sb.url, ZHENZI_VERIFY_KEY: KEY };
});
beforeEach(() => sb.reset());
after(async () => {
  clearEnv();
  await sb.close();
  destroyAgents();
});

const replies = []; // every reply, checked for the secret at the end

// A fresh function on a fresh backend (its own database): {cloudSdk, db, phone, run, as}; every
// reply is kept for the check for the secret at the end.
function cloudFn(extraEnv, options) {
  const f = cloudFunction(env, extraEnv, options);
  const run = f.run;
  f.run = async (data) => {
    const r = await run(data);
    replies.push(r);
    return r;
  };
  return f;
}

// A function folder with (or without) the phone-number permission in its config.json.
function functionDir(permitted) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-phone-fn-'));
  if (permitted) fs.copyFileSync(path.join(FUNCTION_DIR, 'config.json'), path.join(dir, 'config.json'));
  return dir;
}

const tap = (f, code) => f.run({ $url: 'phoneNumber', code });
const codeDocs = (f) => documents(f.db, 'code');

// A refusal as the page gets it: the code word, the table's row, the user's sentence with the
// way on (SMS), fallback 'sms'; no trace of WeChat's own text; nothing recorded.
async function assertRefused(f, reply, word, row) {
  assert.strictEqual(reply.code, word, JSON.stringify(reply));
  assert.strictEqual(reply.error && reply.error.code, row, JSON.stringify(reply.error));
  assert.strictEqual(reply.fallback, 'sms');
  assert.match(reply.msg, SMS);
  assert.strictEqual(reply.verified, undefined);
  assert.doesNotMatch(JSON.stringify(reply), /rid|errmsg|invalid code|minute-quota|system error|:fail/i, 'WeChat\'s own text stays in the log');
  assert.deepStrictEqual(codeDocs(f), [], 'nothing recorded');
  assert.strictEqual((await f.run({ $url: 'checkVerified', number: NUMBER })).code, 'not_verified');
}

test('the function ships config.json granting phonenumber.getPhoneNumber (上传并部署 applies it)', () => {
  for (const dir of [path.join(ROOT, 'pkg-template/cloudfunction'), FUNCTION_DIR]) {
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    assert.deepStrictEqual(config, { permissions: { openapi: ['phonenumber.getPhoneNumber'] } }, dir);
  }
});

test('the 94xx rows are the server module\'s only: the phone\'s wasm does not carry them (it must not grow)', () => {
  const zlib = require('zlib');
  const rows = require(path.join(ROOT, 'dist/npm/zhenzisms.js')).errorTable().filter((r) => r.code >= 9400 && r.code < 9500);
  assert.deepStrictEqual(rows.map((r) => r.code), [9401, 9402, 9403, 9404, 9405, 9406, 9407, 9408]);
  const phoneWasm = zlib.brotliDecompressSync(fs.readFileSync(path.join(ROOT, 'dist/utils/zhenzisms_bg.wasm.br')));
  const serverWasm = fs.readFileSync(path.join(FUNCTION_DIR, 'zhenzisms_bg.wasm'));
  for (const r of rows) {
    assert.ok(serverWasm.includes(Buffer.from(r.reason)), `${r.code} in the server module`);
    assert.ok(!phoneWasm.includes(Buffer.from(r.reason)), `${r.code} not in the phone's`);
  }
});

test('a one-tap code: success with the number and the token; checkVerified and verifyToken say via phone; the code works once', async () => {
  const f = cloudFn();
  const code = f.phone.issue({ phoneNumber: NUMBER });
  const r = await tap(f, code);
  assert.strictEqual(r.code, 'success', JSON.stringify(r));
  assert.strictEqual(r.number, NUMBER);
  assert.strictEqual(r.fallback, undefined);
  assert.strictEqual(r.verified.via, 'phone');
  assert.ok(r.verified.token && r.verified.expiresAt > Date.now());
  assert.deepStrictEqual(f.phone.calls, [{ code }], 'one exchange, with the code as the page sent it');
  const byNumber = await f.run({ $url: 'checkVerified', number: '+86 138 0013 8000' });
  assert.deepStrictEqual([byNumber.code, byNumber.number, byNumber.via], ['success', NUMBER, 'phone']);
  const byToken = await f.run({ $url: 'checkVerified', token: r.verified.token });
  assert.deepStrictEqual([byToken.code, byToken.number, byToken.via], ['success', NUMBER, 'phone']);
  const newest = await f.run({ $url: 'checkVerified' });
  assert.deepStrictEqual([newest.code, newest.via], ['success', 'phone']);
  // Another cloud function checks the token offline, as the guide shows.
  const { verifyToken } = require(path.join(FUNCTION_DIR, 'zhenzisms_token.js'));
  const offline = verifyToken(r.verified.token, { key: KEY, audience: f.cloudSdk.context.ENV, openid: 'openid-alice', number: NUMBER, maxAgeSeconds: 300 });
  assert.strictEqual(offline.ok && offline.ok.via, 'phone');
  // The same code again: WeChat's 40029, and the verification already made stands.
  await assertRefusedKeepingMark(f, await tap(f, code));
  // Another user holding this number's verification? No: it is alice's.
  assert.strictEqual((await f.as('openid-bob').run({ $url: 'checkVerified', number: NUMBER })).code, 'not_verified');
});

async function assertRefusedKeepingMark(f, again) {
  assert.deepStrictEqual([again.code, again.error.code, again.fallback], ['invalid_code', 9401, 'sms']);
  assert.strictEqual((await f.run({ $url: 'checkVerified', number: NUMBER })).via, 'phone');
}

test('one record for both paths: a pending SMS code survives a one-tap verification, and the newer proof names its path', async () => {
  const f = cloudFn();
  assert.strictEqual((await f.run({ $url: 'sendCode', number: NUMBER })).code, 'success');
  const sms = codeFromInbox(sb, NUMBER);
  assert.strictEqual((await tap(f, f.phone.issue({ phoneNumber: NUMBER }))).code, 'success');
  const docs = codeDocs(f);
  assert.strictEqual(docs.length, 1, 'the same document as the SMS code');
  assert.strictEqual(docs[0].body.verified.via, 'phone');
  assert.ok(docs[0].body.record, 'the SMS code is still there');
  const v = await f.run({ $url: 'validateCode', number: NUMBER, code: sms });
  assert.strictEqual(v.code, 'success');
  assert.strictEqual(v.verified.via, 'sms');
  assert.strictEqual((await f.run({ $url: 'checkVerified', number: NUMBER })).via, 'sms');
  assert.strictEqual((await tap(f, f.phone.issue({ phoneNumber: NUMBER }))).verified.via, 'phone');
  assert.strictEqual((await f.run({ $url: 'checkVerified', number: NUMBER })).via, 'phone');
});

test('WeChat\'s refusals: 40029, 45011, -1, 40013/48001 (account), unknown → typed rows, fallback sms; errmsg and rid logged escaped', async () => {
  const f = cloudFn();
  const cases = [
    [null, 'invalid_code', 9401], // a forged code: the fixture answers 40029
    [45011, 'quota', 9402],
    [-1, 'busy', 9403],
    [40013, 'not_available', 9405],
    [48001, 'not_available', 9405],
    [40001, 'wechat_error', 9408],
  ];
  for (const [errcode, word, row] of cases) {
    const code = errcode === null ? 'forged-' + row : f.phone.issue({ phoneNumber: NUMBER });
    if (errcode !== null) f.phone.failNext(errcode, 'from WeChat "quoted"\n[zhenzisms] forged line');
    const { result, lines } = await capturingErrors(() => tap(f, code));
    await assertRefused(f, result, word, row);
    assert.ok(result.error.detail.includes(String(errcode === null ? 40029 : errcode)), 'the errcode, for the developer');
    const said = lines.join('\n');
    assert.match(said, /rid: /, 'WeChat\'s errmsg with its rid is in the log');
    if (errcode !== null) {
      assert.ok(said.includes('from WeChat \\"quoted\\"\\n[zhenzisms] forged line'), 'escaped: ' + said);
      assert.ok(!lines.some((l) => l.startsWith('[zhenzisms] forged line')), 'no forged log line');
    }
    assert.strictEqual(result.error.retriable, row === 9402 || row === 9403);
  }
  assert.strictEqual(f.phone.calls.length, cases.length, 'each asked WeChat once');
});

test('without the permission in config.json (-604101): 9404 no_permission, saying what to add; fallback sms', async () => {
  const f = cloudFn({}, { functionDir: functionDir(false) });
  const r = await tap(f, f.phone.issue({ phoneNumber: NUMBER }));
  await assertRefused(f, r, 'no_permission', 9404);
  assert.match(r.error.solution, /config\.json/);
  assert.match(r.error.solution, /phonenumber\.getPhoneNumber/);
  assert.strictEqual(r.error.kind, 'config');
  // With it (the same backend otherwise), the same kind of code goes through.
  const g = cloudFn({}, { functionDir: functionDir(true) });
  assert.strictEqual((await tap(g, g.phone.issue({ phoneNumber: NUMBER }))).code, 'success');
});

test('the watermark: another mini-program\'s code, an old one, one from the future → refused, nothing recorded', async () => {
  const f = cloudFn();
  const now = Math.floor(Date.now() / 1000);
  await assertRefused(f, await tap(f, f.phone.issue({ phoneNumber: NUMBER, appid: 'wx-another-app' })), 'other_app', 9406);
  await assertRefused(f, await tap(f, f.phone.issue({ phoneNumber: NUMBER, timestamp: now - 6 * 60 - 5 })), 'stale_code', 9407);
  await assertRefused(f, await tap(f, f.phone.issue({ phoneNumber: NUMBER, timestamp: now + 3 * 60 })), 'stale_code', 9407);
  await assertRefused(f, await tap(f, f.phone.issue({ phoneNumber: NUMBER, timestamp: String(now) })), 'stale_code', 9407);
  // A little clock skew either way is tolerated: 5 minutes old, or 30 s ahead.
  assert.strictEqual((await tap(f, f.phone.issue({ phoneNumber: NUMBER, timestamp: now - 5 * 60 }))).code, 'success');
  assert.strictEqual((await tap(f, f.phone.issue({ phoneNumber: NUMBER, timestamp: now + 30 }))).code, 'success');
  // A call whose context has no APPID cannot be checked: refused.
  const g = cloudFn();
  g.cloudSdk.context.APPID = undefined;
  const code = g.phone.issue({ phoneNumber: NUMBER, appid: 'wxsimulator' });
  await assertRefused(g, await tap(g, code), 'other_app', 9406);
  assert.strictEqual(g.phone.calls.length, 0, 'WeChat was not asked');
});

test('the number goes through the core\'s rule: a foreign number is refused (bad_number), a mainland one is canonical', async () => {
  const f = cloudFn();
  const hk = await tap(f, f.phone.issue({ phoneNumber: '+85251234567', countryCode: '852' }));
  await assertRefused(f, hk, 'bad_number', 100);
  // A foreign number that looks like a mainland one without its country code: refused by the code.
  await assertRefused(f, await tap(f, f.phone.issue({ phoneNumber: '+113800138000', purePhoneNumber: '13800138000', countryCode: 1 })), 'bad_number', 100);
  await assertRefused(f, await tap(f, f.phone.issue({ phoneNumber: '12345', countryCode: '86' })), 'bad_number', 100);
  // WeChat's country code is believed over a number that looks mainland: fail closed.
  await assertRefused(f, await tap(f, f.phone.issue({ phoneNumber: '13800138000', countryCode: '852' })), 'bad_number', 100);
  const ok = await tap(f, f.phone.issue({ phoneNumber: '+8613800138000', purePhoneNumber: '13800138000', countryCode: 86 }));
  assert.deepStrictEqual([ok.code, ok.number], ['success', NUMBER]);
});

test('the event is attacker input: no code, a non-text code, operator objects, arrays, oversize → 100, WeChat never asked', async () => {
  const f = cloudFn();
  const missing = await f.run({ $url: 'phoneNumber' });
  await assertRefused(f, missing, 'no_code', 100);
  await assertRefused(f, await tap(f, ''), 'no_code', 100);
  for (const bad of [{ $ne: '' }, { $gt: '' }, ['a', 'b'], 12345, true, 'x'.repeat(257), 'has space', 'tab\there', '验证']) {
    const r = await tap(f, bad);
    await assertRefused(f, r, 'error', 100);
    assert.strictEqual(r.error.kind, 'input');
  }
  assert.strictEqual(f.phone.calls.length, 0, 'nothing reached WeChat');
  // A number or an openid in the event changes nothing: the caller is WeChat's.
  const code = f.phone.issue({ phoneNumber: NUMBER });
  const r = await f.run({ $url: 'phoneNumber', code, number: '13900139000', openid: 'openid-bob', userInfo: { openId: 'openid-bob' } });
  assert.deepStrictEqual([r.code, r.number], ['success', NUMBER]);
  assert.strictEqual((await f.as('openid-bob').run({ $url: 'checkVerified', number: NUMBER })).code, 'not_verified');
});

test('metered per caller: ZHENZI_PHONE_HOURLY_CAP exchanges an hour that gave a number or an invalid code (a forged-code flood stops there), then WeChat is not asked; an hour later it works', async () => {
  const clock = fakeClock(Date.now());
  try {
    const f = cloudFn({ ZHENZI_PHONE_HOURLY_CAP: 3 });
    assert.strictEqual((await tap(f, 'forged-0')).code, 'invalid_code');
    assert.strictEqual((await tap(f, f.phone.issue({ phoneNumber: NUMBER }))).code, 'success');
    assert.strictEqual((await tap(f, f.phone.issue({ phoneNumber: '13900139000' }))).code, 'success');
    const calls = f.phone.calls.length;
    const spare = f.phone.issue({ phoneNumber: '13700137000' });
    const over = await tap(f, spare);
    assert.strictEqual(over.fallback, 'sms');
    assert.strictEqual(over.error.kind, 'limit');
    assert.match(over.error.detail, /ZHENZI_PHONE_HOURLY_CAP/);
    assert.match(over.msg, SMS);
    assert.strictEqual(f.phone.calls.length, calls, 'over the cap WeChat is not asked (no charge)');
    // Forged codes count: one user's flood reaches WeChat ZHENZI_PHONE_HOURLY_CAP times at most,
    // so it cannot spend the mini-program's minute quota (45011) for everyone.
    f.as('openid-mallory');
    const before = f.phone.calls.length;
    const flood = [];
    for (let i = 0; i < 6; i++) flood.push((await tap(f, 'forged-m' + i)).code);
    assert.deepStrictEqual(flood.slice(0, 3), ['invalid_code', 'invalid_code', 'invalid_code']);
    assert.ok(flood.slice(3).every((c) => c !== 'invalid_code' && c !== 'success'), JSON.stringify(flood));
    assert.strictEqual(f.phone.calls.length, before + 3, 'WeChat was asked 3 times of 6');
    // Another user has a meter of their own.
    assert.strictEqual((await f.as('openid-bob').run({ $url: 'phoneNumber', code: f.phone.issue({ phoneNumber: '13600136000' }) })).code, 'success');
    f.as('openid-alice');
    clock.advance(60 * 60 * 1000 + 1000);
    const later = f.phone.issue({ phoneNumber: '13700137000' });
    assert.strictEqual((await tap(f, later)).code, 'success');
  } finally {
    clock.restore();
  }
});

test('failures the SMS path shares (the function\'s configuration, no user) carry no fallback', async () => {
  const f = cloudFn({ ZHENZI_APP_SECRET: '' });
  delete process.env.ZHENZI_APP_SECRET;
  const r = await tap(f, f.phone.issue({ phoneNumber: NUMBER }));
  assert.strictEqual(r.error.code, 9001);
  assert.strictEqual(r.fallback, undefined, 'SMS would fail the same way');
  const g = cloudFn({}, { openid: undefined });
  const n = await tap(g, g.phone.issue({ phoneNumber: NUMBER }));
  assert.deepStrictEqual([n.code, n.error.code, n.fallback], ['no_openid', 9001, undefined]);
  assert.strictEqual(g.phone.calls.length + f.phone.calls.length, 0);
});

test('a 云调用 that does not answer in ZHENZI_TIMEOUT_MS: 9101 timeout, fallback sms, nothing recorded', async (t) => {
  const f = cloudFn({ ZHENZI_TIMEOUT_MS: 200 });
  if (f.cloudSdk.backend !== 'standin') {
    t.skip('the real SDK\'s 云调用 cannot be held open from here');
    return;
  }
  f.cloudSdk.openapi = { phonenumber: { getPhoneNumber: () => new Promise(() => {}) } };
  const r = await tap(f, 'any-code');
  await assertRefused(f, r, 'timeout', 9101);
});

test('end to end: the phone\'s verifyPhoneNumber → the built function → checkVerified says via phone', async (t) => {
  setEnv(env);
  const cloudSdk = createCloudSdk({ openid: 'sim-openid-1' });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-phone-mp-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(path.join(ROOT, 'dist/utils'), path.join(root, 'utils'), { recursive: true });
  const mp = createMiniProgram({ root, cloudFunctions: { zhenzisms: INDEX }, cloudRequire: (name) => (name === 'wx-server-sdk' ? cloudSdk : undefined) });
  t.after(() => mp.dispose());
  const zhenzisms = mp.require('/utils/zhenzisms.js');
  zhenzisms.client.initCloud({ name: 'zhenzisms' });
  await zhenzisms.client.ready();
  const plain = (v) => JSON.parse(JSON.stringify(v));
  const event = (detail) => ({ type: 'getphonenumber', detail });

  let calls = 0;
  const answer = plain(await zhenzisms.client.verifyPhoneNumber(() => calls++, event({ errMsg: 'getPhoneNumber:ok', code: cloudSdk.phone.issue({ phoneNumber: NUMBER }) })));
  await mp.pending();
  assert.strictEqual(calls, 1);
  assert.deepStrictEqual([answer.code, answer.number, answer.verified.via], ['success', NUMBER, 'phone']);
  const checked = plain(await mp.wx.cloud.callFunction({ name: 'zhenzisms', data: { $url: 'checkVerified', number: NUMBER } }));
  assert.deepStrictEqual([checked.result.code, checked.result.via], ['success', 'phone']);
  // The 实时验证 button's event is exchanged the same way; a used code falls back to SMS.
  const code = cloudSdk.phone.issue({ phoneNumber: NUMBER });
  assert.strictEqual(plain(await zhenzisms.client.verifyPhoneNumber(event({ errMsg: 'getRealtimePhoneNumber:ok', code }))).code, 'success');
  const used = plain(await zhenzisms.client.verifyPhoneNumber(event({ errMsg: 'getRealtimePhoneNumber:ok', code })));
  assert.deepStrictEqual([used.code, used.fallback, used.error.code], ['invalid_code', 'sms', 9401]);
  assert.strictEqual(mp.requests.length, 0, 'no wx.request from the phone');
  assert.deepStrictEqual(mp.errors, []);
});

test('docs/guide.md says what the code does: the meter\'s variable and default, each WeChat errcode\'s row, in both languages', () => {
  const guide = fs.readFileSync(path.join(ROOT, 'docs/guide.md'), 'utf8');
  const [zh, en] = guide.split('\n## English\n');
  const d = loadCloudFunction(createCloudSdk()).defaults();
  const { WECHAT } = require(path.join(FUNCTION_DIR, 'zhenzisms_phone.js'));
  for (const half of [zh, en]) {
    assert.match(half, new RegExp('\\| `ZHENZI_PHONE_HOURLY_CAP` \\| ' + d.ZHENZI_PHONE_HOURLY_CAP + ' \\|'));
    const rows = half.split('\n').filter((l) => /^\| 94\d\d \|/.test(l));
    assert.strictEqual(rows.length, 8, 'the eight 94xx rows');
    for (const [errcode, [row, word]] of Object.entries(WECHAT)) {
      const line = rows.find((l) => l.startsWith('| ' + row + ' |'));
      assert.ok(line && line.includes(errcode) && line.includes('`' + word + '`'), `${row}: errcode ${errcode} and ${word} in "${line}"`);
    }
    assert.ok(half.includes('0.03') && half.includes('0.04') && half.includes('1000'), 'the prices and the free calls');
    assert.ok(half.includes('https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/getPhoneNumber.html'), 'their public source');
  }
});

test('no reply carried the secret', () => {
  assert.ok(replies.length > 40, `${replies.length} replies`);
  for (const r of replies) assert.ok(!JSON.stringify(r).includes(SECRET), JSON.stringify(r));
});
