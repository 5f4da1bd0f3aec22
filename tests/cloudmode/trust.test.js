// Issue 18: cloud mode you can leave running. Each test is one finding of the issue, tried as a
// hostile user of the mini-program would (the page's own client SDK writes documents with
// db.addAsPage, any event, many accounts, many addresses) against the built function, the
// wx-server-sdk stand-in and the sandbox as Zhenzi; each failed on main dfb43c0.
'use strict';
const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { startSandbox } = require('../../sandbox/server.js');
const { cloudFunction, ROOT, FUNCTION_DIR, clearEnv, destroyAgents, codeFromInbox, fakeClock, capturingErrors } = require('./helpers.js');

const SECRET = 'TRUST-SECRET-29f1';
const VICTIM = '13800138000';
const KEY = 'verify-key-trust-test-0123456789abcdef';

let sb;
let env;
before(async () => {
  sb = await startSandbox({ port: 0, fixture: { apps: [{ appId: '10001', appSecret: SECRET, appName: '云短信体验', balance: 100000 }] } });
  env = { ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: SECRET, ZHENZI_API_URL: sb.url, ZHENZI_VERIFY_KEY: KEY };
});
beforeEach(() => sb.reset());
after(async () => {
  clearEnv();
  await sb.close();
  destroyAgents();
});

const cloudFn = (extraEnv, options) => cloudFunction(env, extraEnv, options);

// Every shape of document the function has ever trusted, as a page would add them for `openid`.
async function forgeries(db, attacker, number) {
  const now = Date.now();
  const docs = [
    { verified: { openid: attacker, number, at: now, expiresAt: now + 1e9 } }, // main's verified mark
    { openid: attacker, number, code: '123456', expire: now + 1e9, createTime: now + 1e9, status: 'sent' }, // a vendor record
    { openid: attacker, number, record: { number, code: '123456', expire: now + 1e9 }, createTime: now + 1e9, status: 'sent' }, // main's legacy record
    { _id: 'slot:number:' + number, slot: true, sentAt: now + 1e12, day: 1e9, count: 999 }, // main's slots
    { _id: 'slot:caller:' + attacker, slot: true, sentAt: now + 1e12, day: 1e9, count: 999 },
  ];
  for (const d of docs) await db.addAsPage(attacker, 'sms-record', d);
}

test('finding 1a/1b: documents a page adds never make checkVerified vouch nor validateCode succeed; the permission mistake is logged once', async () => {
  const f = cloudFn();
  f.as('openid-mallory');
  await forgeries(f.db, 'openid-mallory', VICTIM);
  // Copies of documents the function wrote, re-added by a page (a readable collection): refused too.
  await f.as('openid-bob').run({ $url: 'sendCode', number: '13900139000' });
  assert.equal((await f.run({ $url: 'validateCode', number: '13900139000', code: codeFromInbox(sb, '13900139000') })).code, 'success');
  for (const d of f.db.dump('sms-record').filter((x) => x.kind)) {
    const copy = Object.assign({}, d, { _id: d._id + 'x' });
    await f.db.addAsPage('openid-mallory', 'sms-record', copy);
  }
  f.as('openid-mallory');
  const { result, lines } = await capturingErrors(async () => [
    await f.run({ $url: 'checkVerified', number: VICTIM }),
    await f.run({ $url: 'checkVerified' }),
    await f.run({ $url: 'validateCode', number: VICTIM, code: '123456' }),
    await f.run({ $url: 'checkVerified', number: VICTIM }),
  ]);
  assert.deepEqual(result.map((r) => r.code), ['not_verified', 'not_verified', 'empty', 'not_verified']);
  assert.ok(!JSON.stringify(result).includes('zv'), 'no token');
  const reported = lines.filter((l) => /permission mistake/.test(l));
  assert.equal(reported.length, 1, lines.join('\n'));
  assert.match(reported[0], /仅管理端可读写/);
  assert.match(reported[0], /\{"read": false, "write": false\}/);
});

test('finding 1c: slots a page adds lock no number out of sendCode', async () => {
  const f = cloudFn();
  await forgeries(f.db, 'openid-mallory', VICTIM);
  assert.equal((await f.as('openid-owner').run({ $url: 'sendCode', number: VICTIM })).code, 'success');
  assert.equal(sb.inbox(VICTIM).length, 1);
});

test('finding 1: one setup text everywhere — the function\'s reply, the guide (zh, en), the demo README', async () => {
  const f = cloudFn({}, { collections: [] });
  const { result } = await capturingErrors(() => f.run({ $url: 'sendCode', number: VICTIM }));
  const files = ['docs/guide.md', 'miniprogram-demo/README.md'].map((p) => fs.readFileSync(path.join(ROOT, p), 'utf8'));
  const [zh, en] = files[0].split('\n## English\n');
  for (const [where, textOf] of [['reply', result.error.solution], ['guide zh', zh], ['guide en', en], ['demo README', files[1]]]) {
    assert.ok(textOf.includes('仅管理端可读写'), where);
    assert.ok(textOf.includes('{"read": false, "write": false}'), where);
  }
  for (const file of fs.readdirSync(FUNCTION_DIR).filter((n) => n.endsWith('.js'))) {
    assert.doesNotMatch(fs.readFileSync(path.join(FUNCTION_DIR, file), 'utf8'), /仅创建者可读写/, file);
  }
});

test('finding 2: the operator owns the SMS — a page\'s phishing text or template goes nowhere; the code still reaches the user', async () => {
  const f = cloudFn({ ZHENZI_CODE_TEMPLATES: '1001' });
  const phishing = '【某银行】您的账户异常，请访问 http://evil.example 输入动态码{code}';
  const { result, lines } = await capturingErrors(() => f.run({ $url: 'sendCode', number: VICTIM, message: phishing }));
  assert.equal(result.code, 'success');
  assert.match(result.warn, /ZHENZI_CODE_MESSAGES/);
  const sms = sb.inbox(VICTIM)[0].message;
  const code = codeFromInbox(sb, VICTIM);
  assert.equal(sms, '您的验证码为' + code + '，5分钟内有效，请勿泄露给他人。');
  assert.equal((await f.run({ $url: 'validateCode', number: VICTIM, code })).code, 'success', 'the user still got a working code');
  void lines;
  // A listed template: the page's parameters are ignored, only the code and the minutes go in.
  const g = cloudFn({ ZHENZI_CODE_TEMPLATES: '1001' });
  await g.as('openid-bob').run({ $url: 'sendCode', number: '13900139000', templateId: '1001', templateParams: ['http://evil.example', '9999'] });
  const t = sb.requests.find((r) => r.path === '/sms/v2/send.do');
  assert.deepEqual(JSON.parse(t.form.templateParams), [codeFromInbox(sb, '13900139000'), '5']);
  // An unlisted template does not go out at all.
  await g.as('openid-carol').run({ $url: 'sendCode', number: '13700137000', templateId: '1002' });
  assert.ok(sb.requests.every((r) => r.form.templateId !== '1002'));
  // The operator's own template, when configured.
  const h = cloudFn({ ZHENZI_CODE_TEMPLATE_ID: '1001' });
  await h.as('openid-dan').run({ $url: 'sendCode', number: '13600136000', message: phishing });
  assert.equal(sb.inbox('13600136000')[0].message, '您的验证码为' + codeFromInbox(sb, '13600136000') + '，5分钟内有效。【云短信体验】');
});

test('finding 3: a crowd behind one address is stopped at ZHENZI_IP_HOURLY_CAP; 30 users from 30 addresses at once all get their code', async () => {
  const clock = fakeClock();
  try {
    const f = cloudFn();
    let sent = 0;
    // 30 accounts behind one address, each asking for another number every 61 s for ten minutes.
    for (let minute = 0; minute < 10; minute++, clock.advance(61000)) {
      for (let i = 0; i < 30; i++) {
        const r = await f.as('openid-crowd-' + i, '6.6.6.6').run({ $url: 'sendCode', number: '139' + String(minute * 100 + i).padStart(8, '0') });
        if (r.code === 'success') sent++;
        else if (sent >= 20) assert.match(r.error.detail, /ZHENZI_IP_HOURLY_CAP/);
      }
    }
    assert.equal(sent, 20, 'the hourly cap of one address');
    const refused = await f.as('openid-crowd-x', '6.6.6.6').run({ $url: 'sendCode', number: '13500135000' });
    assert.equal(refused.msg, '当前网络获取验证码过于频繁，请稍后再试。');
    // 30 ordinary users from 30 addresses, all at once.
    const g = cloudFn();
    const calls = [];
    for (let i = 0; i < 30; i++) {
      g.as('openid-user-' + i, '10.0.0.' + (i + 1));
      calls.push(g.main({ $url: 'sendCode', number: '137' + String(i).padStart(8, '0') }, {}));
    }
    assert.deepEqual((await Promise.all(calls)).map((r) => r.code), Array(30).fill('success'));
  } finally {
    clock.restore();
  }
});

test('finding 3: an IPv6 address counts by its /64, so rotating addresses inside one network buys nothing', async () => {
  const f = cloudFn({ ZHENZI_IP_HOURLY_CAP: 2 });
  const ips = ['2001:db8:1:2::1', '2001:db8:1:2:aaaa::2', '2001:0db8:0001:0002:ffff:0:0:3', '2001:db8:1:3::1'];
  const codes = [];
  for (let i = 0; i < ips.length; i++) codes.push((await f.as('openid-v6-' + i, ips[i]).run({ $url: 'sendCode', number: '1350000000' + i })).code);
  assert.deepEqual(codes, ['success', 'success', 'smsError', 'success']);
  // The address reaches Zhenzi as the platform gave it.
  assert.deepEqual(sb.requests.map((r) => r.form.clientIp), ['2001:db8:1:2::1', '2001:db8:1:2:aaaa::2', '2001:db8:1:3::1']);
});

test('finding 3: the function\'s daily budget warns at 80 % in the log and refuses past it, naming ZHENZI_DAILY_BUDGET', async () => {
  const f = cloudFn({ ZHENZI_DAILY_BUDGET: 5 });
  const warnings = [];
  const realWarn = console.warn;
  console.warn = (...a) => warnings.push(a.join(' '));
  try {
    const codes = [];
    let last;
    for (let i = 0; i < 7; i++) {
      const { result, lines } = await capturingErrors(() => f.as('openid-b' + i, '1.1.1.' + i).run({ $url: 'sendCode', number: '1360000000' + i }));
      codes.push(result.code);
      last = { result, lines };
    }
    assert.deepEqual(codes, ['success', 'success', 'success', 'success', 'success', 'smsError', 'smsError']);
    assert.equal(warnings.filter((w) => /ZHENZI_DAILY_BUDGET is at 80 %/.test(w)).length, 1);
    assert.match(last.result.error.detail, /ZHENZI_DAILY_BUDGET/);
    assert.match(last.lines[0], /ZHENZI_DAILY_BUDGET/);
    assert.equal(last.result.msg, '短信服务今天的发送量已达上限，请明天再试。');
  } finally {
    console.warn = realWarn;
  }
});

test('finding 3: validateCode and checkVerified are metered per caller (ZHENZI_CHECK_HOURLY_CAP)', async () => {
  const f = cloudFn({ ZHENZI_CHECK_HOURLY_CAP: 3 });
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push((await f.run({ $url: i % 2 ? 'checkVerified' : 'validateCode', number: VICTIM, code: '000000' })).code);
  const over = await f.run({ $url: 'validateCode', number: VICTIM, code: '000000' });
  assert.deepEqual(answers, ['empty', 'not_verified', 'empty']);
  assert.equal(over.error.code, 9202);
  assert.match(over.error.detail, /ZHENZI_CHECK_HOURLY_CAP/);
  assert.equal(over.msg, '校验太频繁，请稍后再试。');
  assert.equal((await f.as('openid-other').run({ $url: 'checkVerified', number: VICTIM })).code, 'not_verified', 'another caller has its own meter');
});

test('finding 4: a createCode code checks (vendor pages) but never verifies the number; checkVerified says why', async () => {
  const f = cloudFn({ ZHENZI_COMPAT: 'vendor' });
  const made = await f.run({ $url: 'createCode', number: VICTIM });
  assert.equal(made.code, 'success');
  const ok = await f.run({ $url: 'validateCode', number: VICTIM, code: made.data });
  assert.equal(ok.code, 'success');
  assert.equal(ok.verified, undefined, 'no verified mark, no token');
  assert.match(ok.note, /createCode/);
  const check = await f.run({ $url: 'checkVerified', number: VICTIM });
  assert.equal(check.code, 'not_verified');
  assert.match(check.detail, /createCode/);
});

test('finding 5: tokens need ZHENZI_VERIFY_KEY, name their environment, and have one encoding', async () => {
  // No key: validation and checkVerified by record work; the reply says tokens are off and why.
  const off = cloudFn({ ZHENZI_VERIFY_KEY: undefined });
  await off.run({ $url: 'sendCode', number: VICTIM });
  const v = await off.run({ $url: 'validateCode', number: VICTIM, code: codeFromInbox(sb, VICTIM) });
  assert.equal(v.code, 'success');
  assert.equal(v.verified.token, null);
  assert.match(v.verified.why, /ZHENZI_VERIFY_KEY/);
  assert.equal((await off.run({ $url: 'checkVerified', number: VICTIM })).code, 'success');
  // Main's token key was a function of the appSecret: such a token is not accepted.
  const { signToken } = require(FUNCTION_DIR + '/zhenzisms_token.js');
  const derived = crypto.createHmac('sha256', 'zhenzisms-code-key:' + SECRET).update('zhenzisms verified-token key').digest('hex');
  const claim = { openid: 'openid-alice', number: VICTIM, verifiedAt: Date.now(), expiresAt: Date.now() + 60000, via: 'sms', audience: 'test-env-1' };
  const on = cloudFn();
  assert.equal((await on.run({ $url: 'checkVerified', token: signToken(claim, derived) })).detail, 'bad signature');
  // A token from the staging environment is refused in production.
  await on.as('openid-erin').run({ $url: 'sendCode', number: '13900139000' });
  const token = (await on.run({ $url: 'validateCode', number: '13900139000', code: codeFromInbox(sb, '13900139000') })).verified.token;
  assert.equal((await on.run({ $url: 'checkVerified', token })).code, 'success');
  const issuedIn = on.cloudSdk.context.ENV;
  on.cloudSdk.context.ENV = 'prod-env-2';
  assert.equal((await on.run({ $url: 'checkVerified', token })).detail, 'another environment');
  on.cloudSdk.context.ENV = issuedIn;
  // One encoding: anything added, or a non-canonical spelling of the same bytes, is refused.
  for (const bent of [token + 'A', token + '=', token + '.', token.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')), token + '\n']) {
    assert.equal((await on.run({ $url: 'checkVerified', token: bent })).code, 'not_verified', JSON.stringify(bent.slice(-3)));
  }
  // A configured audience wins over the environment's id.
  const aud = cloudFn({ ZHENZI_TOKEN_AUDIENCE: 'my-app' });
  assert.equal((await aud.as('openid-erin').run({ $url: 'checkVerified', token })).detail, 'another environment');
});

test('finding 7: event text is escaped and cut before it is logged; provider texts stay in the log', async () => {
  const f = cloudFn();
  const evil = 'x\n[zhenzisms] sendCode: 0 fine\r\n' + 'y'.repeat(10000);
  const { result, lines } = await capturingErrors(() => f.run({ $url: evil }));
  assert.equal(result.error.code, 100);
  assert.equal(lines.length, 1);
  assert.ok(!/[\r\n]/.test(lines[0]), 'one line');
  assert.ok(lines[0].length < 600, lines[0].length + ' characters');
  // The line breaks JSON leaves as they are (U+2028, U+2029, NEL) are escaped too (fresh eyes' pass).
  const breaks = await capturingErrors(() => f.run({ $url: 'x\u2028[zhenzisms] a\u2029b\u0085c' }));
  assert.equal(breaks.lines.length, 1);
  assert.ok(!/[\u2028\u2029\u0085]/.test(breaks.lines[0]), JSON.stringify(breaks.lines[0]));
  // Zhenzi's own text of a failure reaches the log, not the page.
  sb.queueFault({ fault: 'code1000', count: 1 });
  const failed = await capturingErrors(() => f.as('openid-fay').run({ $url: 'sendCode', number: VICTIM }));
  assert.equal(failed.result.code, 'smsError');
  assert.equal(failed.result.error.detail, undefined, 'no provider text for the page');
  assert.ok(failed.lines.some((l) => /1000/.test(l)));
});

test('finding 8: sendCode waits for at most 3 database round trips in a row, validateCode for at most 2', async () => {
  const f = cloudFn();
  f.db.resetTrips();
  assert.equal((await f.run({ $url: 'sendCode', number: VICTIM })).code, 'success');
  const send = f.db.trips;
  f.db.resetTrips();
  assert.equal((await f.run({ $url: 'validateCode', number: VICTIM, code: codeFromInbox(sb, VICTIM) })).code, 'success');
  const check = f.db.trips;
  assert.ok(send <= 3, `sendCode: ${send}`);
  assert.ok(check <= 2, `validateCode: ${check}`);
});

test('contract: the caller is read from getWXContext() synchronously, before any await', async () => {
  const f = cloudFn();
  // As the real SDK under a harness that sets WX_OPENID just before each call: the context is
  // the caller's only while main() starts.
  let current = 'openid-first';
  f.cloudSdk.getWXContext = () => ({ OPENID: current, CLIENTIP: '127.0.0.1', ENV: 'test-env-1' });
  const pending = f.main({ $url: 'sendCode', number: VICTIM }, {});
  current = 'openid-second';
  assert.equal((await pending).code, 'success');
  current = 'openid-first';
  assert.equal((await f.main({ $url: 'validateCode', number: VICTIM, code: codeFromInbox(sb, VICTIM) }, {})).code, 'success');
});

test('contract: a refusal the function decides reads as a short Chinese sentence, the English detail in error.detail', async () => {
  const f = cloudFn();
  await f.run({ $url: 'sendCode', number: VICTIM });
  const again = await f.run({ $url: 'sendCode', number: VICTIM });
  assert.equal(again.code, 'intervalError');
  assert.match(again.msg, /^发送太频繁，请 \d+ 秒后再试。$/);
  assert.match(again.error.detail, /ZHENZI_DAILY_CAP|retry in \d+ s/);
  const bad = await f.run({ $url: 'sendCode', number: '123' });
  assert.equal(bad.msg, '手机号码格式不正确，请检查后重试。');
  assert.match(bad.error.detail, /number/);
});
