// Issue 12: cloud mode tried as an attacker would, against the built cloud function with the
// hardened wx-server-sdk stand-in and the sandbox as Zhenzi. Each test is one attack of the
// issue; each failed against the function before the hardening.
'use strict';
const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert');
const { startSandbox } = require('../../sandbox/server.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { cloudFunction, loadCloudFunction, clearEnv, destroyAgents, codeFromInbox, fakeClock, capturingErrors, FUNCTION_DIR } = require('./helpers.js');

const SECRET = 'ATTACK-SECRET-5c1d';
const VICTIM = '13800138000';
const SPELLINGS = ['13800138000', '+86 13800138000', '+86\t13800138000', '+86\u300013800138000', '０086-138-0013-8000', '(+86) 138 0013 8000', '８６１３８００１３８０００'];

let sb;
let env;
before(async () => {
  sb = await startSandbox({ port: 0, fixture: { apps: [{ appId: '10001', appSecret: SECRET, appName: '云短信体验', balance: 100000 }] } });
  env = { ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: SECRET, ZHENZI_API_URL: sb.url };
});
beforeEach(() => sb.reset());
after(async () => {
  clearEnv();
  await sb.close();
  destroyAgents();
});

// A fresh database and function; `as(openid)` switches the caller (undefined: no OPENID).
const cloudFn = (extraEnv, options) => cloudFunction(env, extraEnv, options);

const findRequests = () => sb.requests.filter((r) => /findSmsByMessageId/.test(r.path));

test('code leak: findSmsByMessageId is off by default; opted in, ids are kept apart per caller, so no id reaches a code SMS or another caller\'s message', async () => {
  const f = cloudFn();
  assert.equal((await f.as('openid-mallory').run({ $url: 'sendCode', number: VICTIM, message: '验证码{code}', messageId: 'steal-1' })).code, 'success');
  const off = await f.run({ $url: 'findSmsByMessageId', messageId: 'steal-1' });
  assert.equal(off.body.code, 9001, 'a v1 page reading res.result.body.code sees a failure');
  assert.match(off.error.detail, /findSmsByMessageId' is off/);
  assert.equal(findRequests().length, 0);
  // The function chose the code SMS's messageId: unguessable, not the caller's.
  const sent = sb.requests.find((r) => r.path === '/sms/send.do');
  assert.match(sent.form.messageId, /^zc-[0-9a-f]{24}$/);

  const on = cloudFn({ ZHENZI_COMPAT: 'vendor' });
  on.as('openid-mallory');
  for (const messageId of ['steal-1', sent.form.messageId]) {
    const r = await on.run({ $url: 'findSmsByMessageId', messageId });
    assert.ok(!JSON.stringify(r).includes(codeFromInbox(sb, VICTIM)), 'no code in the reply');
    assert.deepEqual(r.body, { code: 0, data: {} });
  }
  // What reached Zhenzi is the caller's own namespace, never the id as the page wrote it.
  assert.ok(findRequests().every((r) => /^u[0-9a-f]{12}-/.test(r.form.messageId)), JSON.stringify(findRequests().map((r) => r.form)));
  // A collision: mallory and alice both name a message 'order-7'; Zhenzi answers the newest of
  // an id, and each still reads only their own.
  assert.equal((await on.run({ $url: 'send', number: '13900139000', message: '订单已发货', messageId: 'order-7' })).code, 0);
  assert.equal((await on.as('openid-alice').run({ $url: 'send', number: '13700137000', message: '你的提货码 885522', messageId: 'order-7' })).code, 0);
  const mine = await on.as('openid-mallory').run({ $url: 'findSmsByMessageId', messageId: 'order-7' });
  assert.equal(mine.data.message, '订单已发货');
  assert.equal(mine.data.messageId, 'order-7', 'the page reads its own id back');
  assert.equal((await on.as('openid-alice').run({ $url: 'findSmsByMessageId', messageId: 'order-7' })).data.message, '你的提货码 885522');
  assert.deepEqual((await on.as('openid-eve').run({ $url: 'findSmsByMessageId', messageId: 'order-7' })).data, {});
});

test('open SMS cannon: send is off by default; opted in, capped per caller per day, and clientIp is always the platform\'s', async () => {
  const f = cloudFn();
  const off = await f.as('openid-mallory').run({ $url: 'send', number: VICTIM, message: '中奖了，点击链接' });
  assert.equal(off.code, 9001);
  assert.equal(off.body.code, 9001);
  assert.equal(sb.requests.length, 0);
  const on = cloudFn({ ZHENZI_COMPAT: 'vendor', ZHENZI_ROUTE_DAILY_CAP: 3 });
  on.as('openid-mallory');
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await on.run({ $url: 'send', number: VICTIM, message: '广告' + i, clientIp: '6.6.6.6' })).code);
  assert.deepEqual(codes, [0, 0, 0, 9202, 9202]);
  assert.equal(sb.inbox(VICTIM).length, 3);
  assert.deepEqual(sb.requests.map((r) => r.form.clientIp), ['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  // balance is capped the same way, per caller.
  const b = cloudFn({ ZHENZI_ROUTES: 'balance', ZHENZI_ROUTE_DAILY_CAP: 1 });
  assert.equal((await b.run({ $url: 'balance' })).code, 0);
  assert.equal((await b.run({ $url: 'balance' })).code, 9202);
  assert.equal((await b.as('openid-bob').run({ $url: 'balance' })).code, 0);
  assert.equal((await b.run({ $url: 'send', number: VICTIM, message: 'x' })).code, 9001, 'only the listed route is on');
});

test('one number, many spellings: one cooldown, one record; validateCode with +86… finds it', async () => {
  const f = cloudFn();
  f.as('openid-mallory');
  const replies = [];
  for (const number of SPELLINGS) replies.push((await f.run({ $url: 'sendCode', number, message: '验证码{code}' })).code);
  assert.deepEqual(replies, ['success'].concat(SPELLINGS.slice(1).map(() => 'intervalError')));
  assert.equal(sb.inbox(VICTIM).length, 1);
  const code = codeFromInbox(sb, VICTIM);
  assert.equal((await f.run({ $url: 'validateCode', number: '+86 138-0013-8000', code })).code, 'success');
});

test('a simulated day of attack on one phone: at most ZHENZI_DAILY_CAP codes, 5 guesses each (the odds in docs/guide.md)', async () => {
  // One Beijing day (the caps restart at Beijing midnight; a 24 h window across midnight sees
  // two days' caps, which the docs say).
  const midnight = Date.UTC(2026, 10, 29, 16, 0, 0);
  const clock = fakeClock(midnight);
  try {
    const f = cloudFn();
    let sent = 0;
    let evaluated = 0;
    // Every 61 s for the day, a fresh openid (many WeChat accounts) and another spelling.
    for (let i = 0; clock.now < midnight + 86400000; i++, clock.advance(61000)) {
      f.as('openid-attacker-' + i);
      const r = await f.run({ $url: 'sendCode', number: SPELLINGS[i % SPELLINGS.length], message: '验证码{code}', length: 4 });
      if (r.code !== 'success') continue;
      sent++;
      const code = codeFromInbox(sb, VICTIM);
      assert.equal(code.length, 6, 'length 4 was not granted');
      const wrong = code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));
      for (let g = 0; g < 6; g++) {
        const result = (await f.run({ $url: 'validateCode', number: VICTIM, code: g === 5 ? code : wrong })).code;
        if (result === 'code_error' || (result === 'too_many_attempts' && g === 4)) evaluated++;
        if (g === 5) assert.equal(result, 'too_many_attempts', 'the right code after 5 wrong ones is refused');
      }
    }
    assert.equal(sent, 10);
    assert.equal(sb.inbox(VICTIM).length, 10);
    assert.equal(evaluated, 50);
  } finally {
    clock.restore();
  }
});

test('client-chosen policy: length 4 does not beat the server\'s 8; seconds -1 or 86400 keeps the server\'s life, 30 shortens it', async () => {
  const clock = fakeClock();
  try {
    const f = cloudFn({ ZHENZI_CODE_LENGTH: 8, ZHENZI_CODE_SECONDS: 120 });
    const check = async (who, number, ask, wait) => {
      f.as(who);
      assert.equal((await f.run(Object.assign({ $url: 'sendCode', number, message: '验证码{code}' }, ask))).code, 'success');
      const code = codeFromInbox(sb, number);
      clock.advance(wait);
      return [code.length, (await f.run({ $url: 'validateCode', number, code })).code];
    };
    assert.deepEqual(await check('u1', '13900000001', { length: 4, seconds: -1 }, 119000), [8, 'success']);
    assert.deepEqual(await check('u2', '13900000002', { seconds: 86400 }, 121000), [8, 'code_expired']);
    assert.deepEqual(await check('u3', '13900000003', { seconds: '30', length: '4' }, 31000), [8, 'code_expired']);
    assert.deepEqual(await check('u4', '13900000004', { seconds: 'NaN', length: { valueOf: 4 } }, 60000), [8, 'success']);
  } finally {
    clock.restore();
  }
});

test('identity from the platform only: CLIENTIP reaches Zhenzi from sendCode; the event\'s openid and clientIp are ignored; no OPENID is refused', async () => {
  const f = cloudFn();
  await f.run({ $url: 'sendCode', number: VICTIM, message: '验证码{code}', clientIp: '6.6.6.6', openid: 'openid-bob', OPENID: 'openid-bob', userInfo: { openId: 'openid-bob' } });
  assert.equal(sb.requests[0].form.clientIp, '127.0.0.1');
  const code = codeFromInbox(sb, VICTIM);
  assert.equal((await f.as('openid-bob').run({ $url: 'validateCode', number: VICTIM, code, openid: 'openid-alice' })).code, 'empty');
  // No OPENID (a timer trigger, a console test): refused, whatever the route, before any read.
  f.as(undefined);
  for (const event of [{ $url: 'validateCode', number: VICTIM, code }, { $url: 'sendCode', number: VICTIM, message: '{code}' }, { $url: 'checkVerified', number: VICTIM }]) {
    const r = await f.run(event);
    assert.equal(r.code, 'no_openid', JSON.stringify(r));
    assert.equal(r.error.code, 9001);
    assert.match(r.error.detail, /OPENID/);
  }
  assert.equal(sb.requests.length, 1, 'nothing more was sent');
  assert.equal((await f.as('openid-alice').run({ $url: 'validateCode', number: VICTIM, code })).code, 'success', 'the code was not spent by the refused calls');
});

test('no crash on any event: every hostile field gets a typed reply, never a thrown error', async () => {
  const f = cloudFn({ ZHENZI_COMPAT: 'vendor' });
  const throwing = { $url: 'sendCode' };
  Object.defineProperty(throwing, 'number', { enumerable: true, get() { throw new Error('boom'); } });
  const cyclic = { $url: 'sendCode', number: VICTIM };
  cyclic.self = cyclic;
  const events = [
    { $url: 'send', number: VICTIM, templateId: '1001', templateParams: 'abc' },
    { $url: 'sendCode', number: { toString: 'x' }, message: '{code}' },
    { $url: 'sendCode', number: VICTIM, message: '验证码{code}\ud800' },
    { $url: 'validateCode', number: '1380013\udc008000', code: '1' },
    { $url: 'validateCode', number: VICTIM, code: { length: 6 } },
    { $url: 'send', number: [VICTIM], message: 'x' },
    { $url: 'send', number: VICTIM, message: 'x'.repeat(20000) },
    { $url: 'send', number: VICTIM, templateId: '1001', templateParams: [{}, 1] },
    { $url: 'checkVerified', token: 42n },
    { $url: { toString: () => 'sendCode' } },
    throwing,
    cyclic,
    null,
    'sendCode',
  ];
  for (const event of events) {
    const { result } = await capturingErrors(() => loadCloudFunction(f.cloudSdk).main(event, {}));
    assert.ok(result && typeof result === 'object', String(event && event.$url));
    assert.equal(typeof result.error.code, 'number', JSON.stringify(result));
    assert.ok(JSON.stringify(result).length < 2000);
    assert.doesNotMatch(JSON.stringify(result), /at .*\.js:\d+/, 'no stack trace');
  }
  assert.equal(sb.requests.length, 0, 'nothing was sent');
});

test('a verified result a backend can trust: checkVerified answers for the caller only; tokens are signed, bound to the user, the number and the time', async () => {
  const clock = fakeClock();
  try {
    const f = cloudFn({ ZHENZI_VERIFY_KEY: 'verify-key-for-both-functions-0123456789', ZHENZI_VERIFY_SECONDS: 600 });
    const before = await f.run({ $url: 'checkVerified', number: VICTIM });
    assert.equal(before.code, 'not_verified');
    await f.run({ $url: 'sendCode', number: VICTIM, message: '验证码{code}' });
    const ok = await f.run({ $url: 'validateCode', number: VICTIM, code: codeFromInbox(sb, VICTIM) });
    assert.equal(ok.code, 'success');
    const { token, expiresAt } = ok.verified;
    assert.equal(expiresAt, clock.now + 600000);
    assert.deepEqual(await f.run({ $url: 'checkVerified', number: '+86 138 0013 8000' }), { code: 'success', number: VICTIM, verifiedAt: clock.now, via: 'sms' });
    assert.deepEqual(await f.run({ $url: 'checkVerified' }), { code: 'success', number: VICTIM, verifiedAt: clock.now, via: 'sms' });
    assert.equal((await f.run({ $url: 'checkVerified', number: '13900139000' })).code, 'not_verified');
    assert.equal((await f.run({ $url: 'checkVerified', token })).code, 'success');
    // Another user: not by OPENID, not with the stolen token.
    assert.equal((await f.as('openid-mallory').run({ $url: 'checkVerified', number: VICTIM })).code, 'not_verified');
    assert.equal((await f.run({ $url: 'checkVerified', token })).detail, 'another user');
    f.as('openid-alice');
    const body = token.split('.')[1];
    const forged = token.replace(body, Buffer.from(JSON.stringify({ o: 'openid-alice', n: '13900139000', t: clock.now, e: clock.now + 1e9, v: 'sms', a: 'test-env-1' })).toString('base64url'));
    assert.equal((await f.run({ $url: 'checkVerified', token: forged })).detail, 'bad signature');
    // Age: a backend may ask for less than ZHENZI_VERIFY_SECONDS, never more.
    clock.advance(120000);
    assert.equal((await f.run({ $url: 'checkVerified', number: VICTIM, maxAgeSeconds: 60 })).code, 'not_verified');
    assert.equal((await f.run({ $url: 'checkVerified', token, maxAgeSeconds: 60 })).code, 'not_verified');
    assert.equal((await f.run({ $url: 'checkVerified', number: VICTIM, maxAgeSeconds: 300 })).code, 'success');
    clock.advance(481000);
    assert.equal((await f.run({ $url: 'checkVerified', number: VICTIM, maxAgeSeconds: 100000 })).code, 'not_verified');
    assert.equal((await f.run({ $url: 'checkVerified', token })).code, 'not_verified');
    // Offline, in another cloud function holding the same key.
    const { verifyToken } = require(FUNCTION_DIR + '/zhenzisms_token.js');
    const key = 'verify-key-for-both-functions-0123456789';
    const audience = f.cloudSdk.context.ENV; // getWXContext().ENV where it was issued
    assert.equal(verifyToken(token, { key, audience, openid: 'openid-alice', number: VICTIM, now: clock.now - 500000 }).ok.number, VICTIM);
    assert.equal(verifyToken(token, { key: 'another key', audience, openid: 'openid-alice', now: clock.now - 500000 }).err, 'bad signature');
    assert.equal(verifyToken(token, { key, audience, openid: 'openid-alice', now: clock.now }).err, 'expired');
    assert.equal(verifyToken(token, { key, audience, openid: 'openid-alice', now: NaN }).err, 'expired', 'fails closed');
  } finally {
    clock.restore();
  }
});

test('setup mistakes name themselves, in the reply and in 云函数日志, never with the secret or a code', async () => {
  const cases = [
    [{ ZHENZI_APP_ID: '' }, 'ZHENZI_APP_ID'],
    [{ ZHENZI_APP_SECRET: '' }, 'ZHENZI_APP_SECRET'],
    [{ ZHENZI_API_URL: 'http://sms.zhenzikj.com' }, 'ZHENZI_API_URL'],
    [{ ZHENZI_CODE_LENGTH: '12' }, 'ZHENZI_CODE_LENGTH'],
    [{ ZHENZI_TIMEOUT_MS: 'abc' }, 'ZHENZI_TIMEOUT_MS'],
    [{ ZHENZI_DAILY_CAP: '-1' }, 'ZHENZI_DAILY_CAP'],
    [{ ZHENZI_COMPAT: 'yes' }, 'ZHENZI_COMPAT'],
    [{ ZHENZI_ROUTES: 'send,sendz' }, 'ZHENZI_ROUTES'],
  ];
  for (const [extra, name] of cases) {
    const f = cloudFn(extra);
    const { result, lines } = await capturingErrors(() => f.run({ $url: 'sendCode', number: VICTIM, message: '{code}' }));
    assert.equal(result.code, 'smsError', name);
    assert.equal(result.error.code, 9001);
    assert.match(result.error.detail, new RegExp(name));
    assert.match(result.error.solution, new RegExp(name));
    assert.doesNotMatch(result.error.solution, /init\(\)/, 'no direct-mode advice');
    assert.match(result.msg, new RegExp(name));
    assert.equal(lines.length, 1);
    assert.match(lines[0], new RegExp(name));
    assert.ok(!JSON.stringify([result, lines]).includes(SECRET));
  }
  assert.equal(sb.requests.length, 0);
  // No sms-record collection: the reply says to create it.
  const f = cloudFn({}, { collections: [] });
  const { result, lines } = await capturingErrors(() => f.run({ $url: 'sendCode', number: VICTIM, message: '{code}' }));
  assert.match(result.error.detail, /sms-record/);
  assert.match(result.error.solution, /创建集合 sms-record/);
  assert.match(lines[0], /sms-record/);
  const v = await capturingErrors(() => f.run({ $url: 'validateCode', number: VICTIM, code: '123456' }));
  assert.equal(v.result.code, 'error');
  assert.match(v.result.msg, /sms-record/);
});

test('the odds printed in docs/guide.md are the ones the shipped defaults give: one number, and any number with K accounts', () => {
  const fs = require('fs');
  const path = require('path');
  const d = loadCloudFunction(createCloudSdk()).defaults();
  const miss = 1 - d.ZHENZI_MAX_ATTEMPTS / Math.pow(10, d.ZHENZI_CODE_LENGTH);
  const odds = (codes) => 1 - Math.pow(miss, codes);
  // One number, one Beijing day: the number's cap of codes, each guessed maxAttempts times.
  const perDay = odds(d.ZHENZI_DAILY_CAP);
  const oneIn = Math.round(1 / perDay / 1000) * 1000;
  const printed = '1 / ' + String(oneIn).replace(/\B(?=(\d{3})+$)/g, ' ');
  assert.equal(printed, '1 / 20 000');
  const percent = (perDay * 100).toFixed(3) + ' %';
  const year = (100 * (1 - Math.pow(1 - perDay, 365))).toFixed(1) + ' %';
  // Any number: min(K × caller cap, A × address cap, budget) codes a day.
  const codes = (K, A) => Math.min(K * d.ZHENZI_CALLER_DAILY_CAP, A * d.ZHENZI_IP_DAILY_CAP, d.ZHENZI_DAILY_BUDGET);
  const oneAddress = (odds(codes(1000, 1)) * 100).toFixed(3) + ' %';
  const anyCrowd = (odds(codes(1e9, 1e9)) * 100).toFixed(3) + ' %';
  assert.deepEqual([oneAddress, anyCrowd], ['0.050 %', '0.499 %']);
  // Without a budget or address caps (main dfb43c0), K = 1000 accounts gave:
  assert.equal((odds(1000 * d.ZHENZI_CALLER_DAILY_CAP) * 100).toFixed(1) + ' %', '4.9 %');
  const guide = fs.readFileSync(path.join(__dirname, '../../docs/guide.md'), 'utf8');
  const [zh, en] = guide.split('\n## English\n');
  for (const half of [zh, en]) {
    for (const figure of [printed, percent, year, oneAddress, anyCrowd, '4.9 %']) assert.ok(half.includes(figure), `${figure} in the guide`);
    assert.ok(half.includes('1 − (1 − ' + d.ZHENZI_MAX_ATTEMPTS + '/10⁶)¹⁰'), 'the formula with the defaults');
    const formula = 'min(' + d.ZHENZI_CALLER_DAILY_CAP + '·K, ' + d.ZHENZI_IP_DAILY_CAP + '·A, ' + d.ZHENZI_DAILY_BUDGET + ')';
    assert.ok(half.includes(formula), formula);
  }
  // And the simulated day above saw exactly cap × attempts guesses evaluated.
  assert.equal(d.ZHENZI_DAILY_CAP * d.ZHENZI_MAX_ATTEMPTS, 50);
  assert.equal(d.ZHENZI_IP_DAILY_CAP / d.ZHENZI_DAILY_CAP, 10, 'one address locks out at most 10 numbers a day, as the guide says');
});

test('the shim under the function: a timeout past what timers accept is clamped, not fired at once; oversized params never reach the wasm', async () => {
  const sdk = require(FUNCTION_DIR + '/zhenzisms.js');
  await sdk.ready();
  const config = { route: 'direct', apiUrl: sb.url, appId: '10001', appSecret: SECRET };
  const warnings = [];
  const onWarning = (w) => warnings.push(w.name);
  process.on('warning', onWarning);
  try {
    for (const timeoutMs of [2 ** 31, 1e12, Infinity, NaN, undefined]) {
      sb.queueFault({ fault: 'delay=40', path: '/account/balance.do', count: 1 });
      const r = await sdk.server.call(config, 'balance', {}, { timeoutMs });
      assert.equal(r.err, undefined, `timeoutMs ${timeoutMs}: ${JSON.stringify(r.err)}`);
    }
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings.filter((n) => n === 'TimeoutOverflowWarning'), []);
  const before = sb.requests.length;
  const big = await sdk.server.call(config, 'send', { number: VICTIM, message: 'x'.repeat((1 << 20) + 1) }, {});
  assert.equal(big.err.code, 100);
  assert.match(big.err.detail, /over 1 MB/);
  assert.equal(sb.requests.length, before);
});

test('the guide\'s sign-in example runs: another cloud function signs in only whom zhenzisms says verified that number', async () => {
  const fs = require('fs');
  const os = require('os');
  const path = require('path');
  const Module = require('module');
  const guide = fs.readFileSync(path.join(__dirname, '../../docs/guide.md'), 'utf8');
  const examples = [...guide.matchAll(/```js\n( {3}\/\/ cloudfunctions\/login\/index\.js[\s\S]*?)```/g)].map((m) => m[1].replace(/^ {3}/gm, ''));
  assert.equal(examples.length, 2, 'one example in each half');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-login-'));
  try {
    for (const source of examples) {
      const f = cloudFn();
      f.cloudSdk.functions.zhenzisms = loadCloudFunction(f.cloudSdk).main;
      const file = path.join(dir, 'index.js');
      fs.writeFileSync(file, source);
      const m = new Module(file, module);
      m.filename = file;
      m.require = (id) => (id === 'wx-server-sdk' ? f.cloudSdk : require(id));
      m._compile(source, file);
      const login = (event) => m.exports.main(event, {}).then((r) => JSON.parse(JSON.stringify(r)));

      assert.equal((await login({ number: VICTIM })).ok, false, 'not verified yet');
      await f.run({ $url: 'sendCode', number: VICTIM, message: '验证码{code}' });
      assert.equal((await f.run({ $url: 'validateCode', number: VICTIM, code: codeFromInbox(sb, VICTIM) })).code, 'success');
      assert.deepEqual(await login({ number: '+86 138 0013 8000' }), { ok: true, openid: 'openid-alice', phone: VICTIM });
      f.as('openid-mallory');
      assert.equal((await login({ number: VICTIM })).ok, false, 'another user is not signed in with alice\'s verification');
      sb.reset();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
