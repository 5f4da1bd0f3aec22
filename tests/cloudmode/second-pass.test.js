// Issue 18, the second attacker's pass: seven ways past the trust work, each tried as a hostile
// user of the mini-program would (many accounts, one address, concurrent calls, a collection
// left readable, any event) against the built function, the wx-server-sdk stand-in and the
// sandbox as Zhenzi and as Tencent. Each test failed before its fix.
'use strict';
const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert');
const { startSandbox } = require('../../sandbox/server.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { cloudFunction, loadCloudFunction, invoker, setEnv, clearEnv, destroyAgents, codeFromInbox, capturingErrors } = require('./helpers.js');
const tencent = require('../tencent/helpers.js');

const SECRET = 'SECOND-PASS-SECRET-5b2c';
const KEY = 'second-pass-verify-key-6f1d0c9a8b7e';
const VICTIM = '13800138000';

let sb;
let env;
before(async () => {
  sb = await startSandbox({ port: 0, fixture: { apps: [{ appId: '10001', appSecret: SECRET, appName: '云短信体验', balance: 100000 }] } });
  env = { ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: SECRET, ZHENZI_API_URL: sb.url, ZHENZI_VERIFY_KEY: KEY };
});
beforeEach(() => sb.reset());
after(async () => {
  clearEnv();
  for (const k of Object.keys(process.env)) if (k.startsWith('TENCENT') || k === 'SMS_PROVIDER') delete process.env[k];
  await sb.close();
  destroyAgents();
});

const cloudFn = (extraEnv) => cloudFunction(env, extraEnv);

const refusedBy = (r, code) => r.error && r.error.code === code;

test('1: ZHENZI_CHECK_HOURLY_CAP holds under concurrent checks: of 12 at once, 5 are answered', async () => {
  const f = cloudFn({ ZHENZI_CHECK_HOURLY_CAP: 5 });
  f.as('openid-mallory');
  const checks = await Promise.all(Array.from({ length: 12 }, () => f.run({ $url: 'checkVerified', number: VICTIM })));
  assert.equal(checks.filter((r) => r.code === 'not_verified').length, 5, JSON.stringify(checks.map((r) => r.code)));
  assert.ok(checks.filter((r) => r.code !== 'not_verified').every((r) => refusedBy(r, 9202) || refusedBy(r, 9201)));
  assert.ok(refusedBy(await f.run({ $url: 'checkVerified', number: VICTIM }), 9202), 'the cap is spent');
  // validateCode shares the meter, concurrent or not: a fresh caller's 12 guesses at once, 5 answered.
  f.as('openid-trudy');
  const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => f.run({ $url: 'validateCode', number: VICTIM, code: String(100000 + i) })));
  assert.equal(guesses.filter((r) => !r.error).length, 5, JSON.stringify(guesses.map((r) => r.code)));
});

test('2: with ZHENZI_CODE_TEMPLATE_ID set, a page asking for the built-in default text still gets the template', async () => {
  const f = cloudFn({ ZHENZI_CODE_TEMPLATE_ID: 'tpl-code' });
  const { DEFAULT_CODE_MESSAGE } = require(require('./helpers.js').FUNCTION_DIR + '/zhenzisms_settings.js');
  await capturingErrors(() => f.run({ $url: 'sendCode', number: VICTIM, message: DEFAULT_CODE_MESSAGE }));
  const form = sb.requests.filter((r) => /sms\/send|sms\/v2\/send/.test(r.path)).map((r) => r.form).pop();
  assert.ok(form, 'one send request');
  assert.equal(form.templateId, 'tpl-code', 'the operator\'s template, not a text: ' + JSON.stringify(form));
  assert.equal(form.message, undefined);
});

test('3: a long SMS counts every part it is billed as against ZHENZI_DAILY_BUDGET and the address caps', async () => {
  const f = cloudFn({ ZHENZI_COMPAT: 'vendor', ZHENZI_DAILY_BUDGET: 20, ZHENZI_ROUTE_DAILY_CAP: 100 });
  const long = '【测试】' + '长'.repeat(990); // 994 characters: 15 parts
  const first = await f.as('openid-a', '203.0.113.7').run({ $url: 'send', number: '13900139000', message: long });
  assert.equal(first.code, 0, JSON.stringify(first));
  const second = await f.as('openid-b', '198.51.100.9').run({ $url: 'send', number: '13900139001', message: long });
  assert.ok(refusedBy(second, 9202), 'over the budget: ' + JSON.stringify(second));
  assert.match(second.error.detail, /ZHENZI_DAILY_BUDGET/);
  // Five one-part messages fit in what is left (15 + 5 = 20), a sixth does not.
  for (let i = 0; i < 5; i++) assert.equal((await f.as('openid-c' + i, '192.0.2.' + i).run({ $url: 'send', number: '1390013901' + i, message: '短信' + i })).code, 0);
  assert.ok(refusedBy(await f.as('openid-d', '192.0.2.99').run({ $url: 'send', number: '13900139020', message: '短信' }), 9202));
  // One address: ZHENZI_IP_HOURLY_CAP counts parts too.
  const g = cloudFn({ ZHENZI_COMPAT: 'vendor', ZHENZI_IP_HOURLY_CAP: 10, ZHENZI_ROUTE_DAILY_CAP: 100 });
  const r = await g.as('openid-e', '203.0.113.50').run({ $url: 'send', number: '13900139030', message: long });
  assert.ok(refusedBy(r, 9202) && /ZHENZI_IP_HOURLY_CAP/.test(r.error.detail), JSON.stringify(r));
});

test('4: ZHENZI_VERIFY_KEY must be a long random key of its own, not the appSecret or a word', async () => {
  for (const weak of [SECRET, 'short-key', 'ab'.repeat(30), 'zhenzisms-code-key:' + SECRET]) {
    const f = cloudFn({ ZHENZI_VERIFY_KEY: weak, ZHENZI_CODE_KEY: weak.startsWith('zhenzisms') ? weak : undefined });
    const { result, lines } = await capturingErrors(() => f.run({ $url: 'sendCode', number: VICTIM }));
    assert.equal(result.error.code, 9001, weak);
    assert.match(result.error.detail, /ZHENZI_VERIFY_KEY/);
    assert.ok(!JSON.stringify(result).includes(weak) && !lines.join('\n').includes(weak), 'the key is never echoed');
  }
  assert.equal(sb.inbox(VICTIM).length, 0, 'nothing was sent');
  const good = cloudFn({ ZHENZI_VERIFY_KEY: KEY });
  assert.equal((await good.run({ $url: 'sendCode', number: VICTIM })).code, 'success');
});

test('5: a readable sms-record shows no number, openid or record; copies of its documents hide no one\'s verification', async () => {
  const f = cloudFn();
  await f.as('openid-alice', '203.0.113.1').run({ $url: 'sendCode', number: VICTIM });
  const ok = await f.run({ $url: 'validateCode', number: VICTIM, code: codeFromInbox(sb, VICTIM) });
  assert.equal(ok.code, 'success');
  const stored = JSON.stringify(f.db.dump('sms-record'));
  for (const secret of [VICTIM, 'openid-alice', '203.0.113.1', '"hash"', '"salt"']) assert.ok(!stored.includes(secret), secret + ' is readable');
  // Mallory reads every document and adds copies as a page (a collection readable and writable
  // by creators): with every field, under new ids, with the newest times she can write.
  for (const d of f.db.dump('sms-record')) {
    for (let i = 0; i < 12; i++) await f.db.addAsPage('openid-mallory', 'sms-record', Object.assign({}, d, { _id: d._id + 'm' + i, vat: Date.now() + 1e9 + i }));
  }
  const { result } = await capturingErrors(() => f.as('openid-alice').run({ $url: 'checkVerified' }));
  assert.equal(result.code, 'success', JSON.stringify(result));
  assert.equal(result.number, VICTIM);
  assert.equal((await f.as('openid-mallory').run({ $url: 'checkVerified' })).code, 'not_verified');
});

test('6: with SMS_PROVIDER=tencent, Tencent\'s own words and its RequestId stay in the log', async () => {
  setEnv({});
  const cloudSdk = createCloudSdk({ openid: 'openid-alice' });
  Object.assign(process.env, tencent.tencentEnv(sb.url, { TENCENT_SMS_SIGN_NAME: '未审核的签名' }), { ZHENZI_VERIFY_KEY: KEY });
  const run = invoker(loadCloudFunction(cloudSdk), cloudSdk);
  const { result, lines } = await capturingErrors(() => run({ $url: 'sendCode', number: VICTIM }));
  for (const k of Object.keys(process.env)) if (k.startsWith('TENCENT') || k === 'SMS_PROVIDER') delete process.env[k];
  assert.equal(result.error.code, 9324, JSON.stringify(result));
  const page = JSON.stringify(result);
  assert.ok(!/RequestId|FailedOperation|incorrect or unapproved/.test(page), 'Tencent\'s text reached the page: ' + page);
  assert.ok(lines.some((l) => /RequestId/.test(l) && /FailedOperation/.test(l)), 'and it is in the log');
});

test('7: createCode spends no number\'s day and is held by the address caps: one address locks no one out', async () => {
  const f = cloudFn({ ZHENZI_COMPAT: 'vendor', ZHENZI_DAILY_CAP: 3, ZHENZI_IP_HOURLY_CAP: 4, ZHENZI_CALLER_DAILY_CAP: 100, ZHENZI_ROUTE_DAILY_CAP: 100 });
  const made = [];
  for (let i = 0; i < 6; i++) made.push(await f.as('openid-bot' + i, '203.0.113.66').run({ $url: 'createCode', number: VICTIM }));
  assert.equal(made.filter((r) => r.code === 'success').length, 4, JSON.stringify(made.map((r) => r.code)));
  assert.ok(made.slice(4).every((r) => refusedBy(r, 9202) && /ZHENZI_IP_HOURLY_CAP/.test(r.error.detail)));
  // The number's owner, elsewhere, still gets a code: the bots spent none of its 3 a day.
  const own = await f.as('openid-owner', '198.51.100.20').run({ $url: 'sendCode', number: VICTIM });
  assert.equal(own.code, 'success', JSON.stringify(own));
});
