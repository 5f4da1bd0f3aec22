// The built cloud function (dist/cloudfunctions/zhenzisms) invoked as WeChat would, with the
// wx-server-sdk stand-in and the sandbox as Zhenzi: every $url route (the opt-in ones turned
// on with ZHENZI_COMPAT=vendor), its errors, and the secret and the codes kept out of every
// reply. The attacks on cloud mode and the default-off routes are in attacks.test.js.
'use strict';
const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert');
const { startSandbox } = require('../../sandbox/server.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { NUMBER, loadCloudFunction, invoker, setEnv, clearEnv, destroyAgents, codeFromInbox, documents } = require('./helpers.js');
const { closedPort } = require('../node/helpers.js');

const SECRET = 'CLOUD-SECRET-7a1e3b';
const OTHER = '13900139000';

let sb;
let cloudSdk;
let invoke;
let env;
const replies = []; // every reply of every test, checked for the secret at the end

before(async () => {
  sb = await startSandbox({ port: 0, fixture: { apps: [{ appId: '10001', appSecret: SECRET, appName: '云短信体验', balance: 1000 }] } });
  // The texts and template these pages use for code SMS are listed by the operator (guide §4).
  env = {
    ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: SECRET, ZHENZI_API_URL: sb.url, ZHENZI_COMPAT: 'vendor', ZHENZI_VERIFY_KEY: 'verify-key-function-test-0123456789abcdef',
    ZHENZI_CODE_MESSAGES: JSON.stringify(['您的验证码为{code}，5分钟内有效。', '验证码{code}', '{code}']), ZHENZI_CODE_TEMPLATES: '1001',
  };
  cloudSdk = createCloudSdk({ openid: 'openid-alice' });
  const run = invoker(loadCloudFunction(cloudSdk), cloudSdk);
  invoke = async (data) => {
    const r = await run(data);
    replies.push(r);
    return r;
  };
});
beforeEach(() => {
  sb.reset();
  setEnv(env);
  cloudSdk.context.OPENID = 'openid-alice';
});
after(async () => {
  clearEnv();
  await sb.close();
  destroyAgents();
});

// The Chinese error table's row for `code` in docs/guide.md, whose cloud-mode remedies are the function's.
function guideRow(code) {
  const guide = require('fs').readFileSync(require('path').join(__dirname, '../../docs/guide.md'), 'utf8');
  return guide.split('\n').find((l) => l.startsWith(`| ${code} |`)) || '';
}

// A Zhenzi route's reply carries both vendor spellings: v2's bare body and v1's {body}.
function bare(reply) {
  assert.deepEqual(reply.body, { code: reply.code, data: reply.data }, 'body repeats {code, data}');
  const copy = Object.assign({}, reply);
  delete copy.body;
  return copy;
}

// validateCode's reply: {code, msg, data} (v1 reads msg, v2 data), plus `verified` on success.
function outcome(reply) {
  assert.equal(reply.msg, reply.data);
  return { code: reply.code, msg: reply.msg };
}

function assertErrorShape(reply, code, kind) {
  assert.equal(reply.code, code);
  assert.deepEqual(reply.body, { code: reply.code, data: reply.data });
  assert.equal(typeof reply.data, 'string');
  assert.ok(reply.error, 'an error object');
  assert.equal(reply.error.code, code);
  assert.equal(reply.error.kind, kind);
  for (const k of ['reason', 'message', 'solution']) assert.equal(typeof reply.error[k], 'string', k);
  assert.equal(typeof reply.error.retriable, 'boolean');
}

test('the function initialises wx-server-sdk with the current environment', () => {
  assert.equal(cloudSdk.inits.length, 1);
  assert.equal(cloudSdk.inits[0].env, cloudSdk.DYNAMIC_CURRENT_ENV);
});

test('send (text) → {code: 0, data, body}; the caller\'s IP goes to Zhenzi as clientIp', async () => {
  const reply = await invoke({ $url: 'send', number: NUMBER, message: '云函数发送的短信', messageId: 'cf-1' });
  assert.deepEqual(bare(reply), { code: 0, data: '发送成功' });
  assert.equal(sb.requests.length, 1);
  assert.equal(sb.requests[0].path, '/sms/send.do');
  assert.equal(sb.requests[0].form.appId, '10001');
  assert.equal(sb.requests[0].form.clientIp, '127.0.0.1');
  assert.equal(sb.inbox(NUMBER)[0].message, '云函数发送的短信');
  // The page's messageId reaches Zhenzi under this caller's own prefix (issue 18 item 6).
  assert.match(sb.inbox(NUMBER)[0].messageId, /^u[0-9a-f]{12}-cf-1$/);
});

test('send (template) fills the template', async () => {
  const reply = await invoke({ $url: 'send', number: NUMBER, templateId: '1001', templateParams: ['九八七六', 3] });
  assert.deepEqual(bare(reply), { code: 0, data: '发送成功' });
  assert.equal(sb.requests[0].path, '/sms/v2/send.do');
  assert.equal(sb.inbox(NUMBER)[0].message, '您的验证码为九八七六，3分钟内有效。【云短信体验】');
});

test('balance → {code: 0, data: number}', async () => {
  const reply = await invoke({ $url: 'balance' });
  assert.equal(reply.code, 0);
  assert.equal(Number(reply.data), 1000);
  assert.equal(sb.requests[0].path, '/account/balance.do');
});

test('balance is retried once after a 502; send is not', async () => {
  sb.queueFault({ fault: 'http502', path: '/account/balance.do', count: 1 });
  assert.equal((await invoke({ $url: 'balance' })).code, 0);
  assert.equal(sb.requests.length, 2);
  sb.reset();
  sb.queueFault({ fault: 'http502', path: '/sms/send.do', count: 1 });
  assertErrorShape(await invoke({ $url: 'send', number: NUMBER, message: 'x' }), 9102, 'http');
  assert.equal(sb.requests.length, 1);
});

test('a sendCode that timed out keeps its code: the reply says wait for the SMS, not look a messageId up', async () => {
  setEnv(Object.assign({}, env, { ZHENZI_TIMEOUT_MS: '300' }));
  sb.queueFault({ fault: 'delay=1500', path: '/sms/send.do', count: 1 }); // delivered at once, answered late
  cloudSdk.context.OPENID = 'openid-timeout'; // a user and number of its own: the code keeps its cooldown
  const number = '13700137000';
  const r = await invoke({ $url: 'sendCode', number, message: '验证码{code}' });
  assert.equal(r.error.code, 9101);
  assert.doesNotMatch(r.error.solution, /messageId/);
  assert.match(r.error.solution, /先等短信/);
  assert.ok(guideRow(9101).includes(r.error.solution), 'the guide says what the function answers');
  const code = codeFromInbox(sb, number);
  assert.equal(outcome(await invoke({ $url: 'validateCode', number, code })).code, 'success', 'the code that arrived works');
});

test('findSmsByMessageId → the record, and {} for an unknown id', async () => {
  await invoke({ $url: 'send', number: NUMBER, message: '可查询', messageId: 'cf-find' });
  const found = await invoke({ $url: 'findSmsByMessageId', messageId: 'cf-find' });
  assert.equal(found.code, 0);
  assert.equal(found.data.message, '可查询');
  assert.equal(found.data.toNumber, NUMBER);
  assert.equal(found.data.messageId, 'cf-find');
  assert.deepEqual(bare(await invoke({ $url: 'findSmsByMessageId', messageId: 'nobody' })), { code: 0, data: {} });
});

// Every value in a stored document, deep.
function valuesOf(v, out = []) {
  if (v && typeof v === 'object') for (const k of Object.keys(v)) valuesOf(v[k], out);
  else out.push(String(v));
  return out;
}

test('sendCode → {code: "success"}, the code only in the SMS, never in the reply or the database', async () => {
  const reply = await invoke({ $url: 'sendCode', number: NUMBER, message: '您的验证码为{code}，5分钟内有效。' });
  assert.deepEqual(reply, { code: 'success', msg: '发送成功' });
  const code = codeFromInbox(sb, NUMBER);
  assert.match(code, /^\d{6}$/);
  assert.equal(sb.inbox(NUMBER)[0].message, `您的验证码为${code}，5分钟内有效。`);
  assert.ok(!JSON.stringify(reply).includes(code));
  const stored = documents(cloudSdk.db, 'code').filter((d) => d.body.number === NUMBER);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].body.caller, 'openid-alice');
  assert.match(stored[0].body.record.hash, /^[0-9a-f]{64}$/);
  assert.ok(!valuesOf(cloudSdk.db.dump('sms-record')).some((v) => v.includes(code)), 'the database holds a hash, not the code');
});

test('validateCode: wrong, right, used again; another caller cannot use it', async () => {
  cloudSdk.context.OPENID = 'openid-frank'; // each test its own caller: the cooldown is per caller too
  await invoke({ $url: 'sendCode', number: OTHER, message: '验证码{code}' });
  const code = codeFromInbox(sb, OTHER);
  const wrong = code === '000000' ? '111111' : '000000';
  assert.deepEqual(outcome(await invoke({ $url: 'validateCode', number: OTHER, code: wrong })), { code: 'code_error', msg: '验证码不一致!' });
  assert.deepEqual(outcome(await invoke({ $url: 'validateCode', number: '13700137000', code })), { code: 'number_error', msg: '手机号码错误!' });
  cloudSdk.context.OPENID = 'openid-mallory';
  assert.deepEqual(outcome(await invoke({ $url: 'validateCode', number: OTHER, code })), { code: 'empty', msg: '未生成验证码!' });
  cloudSdk.context.OPENID = 'openid-frank';
  const ok = await invoke({ $url: 'validateCode', number: OTHER, code });
  assert.deepEqual(outcome(ok), { code: 'success', msg: '验证通过' });
  assert.match(ok.verified.token, /^zv2\./);
  assert.equal(ok.verified.via, 'sms');
  assert.deepEqual(outcome(await invoke({ $url: 'validateCode', number: OTHER, code })), { code: 'code_used', msg: '验证码已被使用!' });
});

test('validateCode: of two concurrent checks of the right code exactly one succeeds', async () => {
  cloudSdk.context.OPENID = 'openid-race';
  const number = '13600136000';
  await invoke({ $url: 'sendCode', number, message: '验证码{code}' });
  const code = codeFromInbox(sb, number);
  const results = await Promise.all([1, 2, 3].map(() => invoke({ $url: 'validateCode', number, code })));
  assert.deepEqual(results.map((r) => r.code).sort(), ['code_used', 'code_used', 'success']);
});

test('sendCode: a second request within the cooldown → intervalError, nothing sent', async () => {
  cloudSdk.context.OPENID = 'openid-bob';
  const number = '13500135000';
  assert.equal((await invoke({ $url: 'sendCode', number, message: '验证码{code}' })).code, 'success');
  const again = await invoke({ $url: 'sendCode', number, message: '验证码{code}' });
  assert.equal(again.code, 'intervalError');
  assert.equal(again.error.code, 9201);
  assert.equal(typeof again.msg, 'string');
  assert.equal(sb.inbox(number).length, 1);
  // the same caller, another number: the per-caller cooldown applies too
  assert.equal((await invoke({ $url: 'sendCode', number: '13500135001', message: '验证码{code}' })).code, 'intervalError');
  assert.equal(sb.inbox('13500135001').length, 0);
});

test('sendCode with a template puts the code in place of "{code}"', async () => {
  cloudSdk.context.OPENID = 'openid-carol';
  const number = '13400134000';
  assert.deepEqual(await invoke({ $url: 'sendCode', number, templateId: '1001', templateParams: ['{code}', '5'] }), { code: 'success', msg: '发送成功' });
  const code = codeFromInbox(sb, number);
  assert.equal(sb.inbox(number)[0].message, `您的验证码为${code}，5分钟内有效。【云短信体验】`);
  assert.deepEqual(outcome(await invoke({ $url: 'validateCode', number, code })), { code: 'success', msg: '验证通过' });
});

test('sendCode errors: a bad number, a refused send (a page text the operator did not list is replaced, not refused)', async () => {
  cloudSdk.context.OPENID = 'openid-dave';
  const badNumber = await invoke({ $url: 'sendCode', number: '123', message: '{code}' });
  assert.equal(badNumber.code, 'smsError');
  assert.equal(badNumber.error.code, 100);
  sb.queueFault({ fault: 'code1000', count: 1 });
  const failed = await invoke({ $url: 'sendCode', number: '13300133000', message: '{code}' });
  assert.equal(failed.code, 'smsError');
  assert.equal(failed.error.code, 1000);
  assert.equal(sb.inbox('13300133000').length, 0);
  // a failed send starts no cooldown and stores nothing
  assert.equal(cloudSdk.db.dump('sms-record').filter((d) => d.number === '13300133000').length, 0);
  assert.equal((await invoke({ $url: 'sendCode', number: '13300133000', message: '{code}' })).code, 'success');
});

test('createCode is disabled by default, with a message saying why and what to use', async () => {
  delete process.env.ZHENZI_COMPAT;
  const before = cloudSdk.db.dump('sms-record').length;
  const reply = await invoke({ $url: 'createCode', number: '13200132000' });
  assert.equal(reply.code, 'disabled');
  assert.match(reply.msg, /sendCode/);
  assert.doesNotMatch(JSON.stringify(reply), /"\d{6}"/, 'no code');
  assert.equal(cloudSdk.db.dump('sms-record').length, before, 'nothing stored');
  process.env.ZHENZI_ALLOW_CREATE_CODE = 'yes'; // only the exact word true enables it
  assert.equal((await invoke({ $url: 'createCode', number: '13200132000' })).code, 'disabled');
});

test('createCode with ZHENZI_ALLOW_CREATE_CODE=true returns a code that validates', async () => {
  delete process.env.ZHENZI_COMPAT;
  process.env.ZHENZI_ALLOW_CREATE_CODE = 'true';
  cloudSdk.context.OPENID = 'openid-erin';
  const reply = await invoke({ $url: 'createCode', number: '13200132000' });
  assert.equal(reply.code, 'success');
  assert.match(reply.data, /^\d{6}$/);
  assert.equal(sb.requests.length, 0, 'nothing is sent');
  assert.deepEqual(outcome(await invoke({ $url: 'validateCode', number: '13200132000', code: reply.data })), { code: 'success', msg: '验证通过' });
});

test('an unknown or missing $url → {code: 100, data, error}', async () => {
  const unknown = await invoke({ $url: 'deleteEverything' });
  assertErrorShape(unknown, 100, 'input');
  assert.equal(unknown.error.detail, 'unknown $url: deleteEverything');
  const missing = await invoke({ number: NUMBER });
  assertErrorShape(missing, 100, 'input');
  assert.equal(sb.requests.length, 0);
});

test('errors come back as {code, data, error}: input, server, network, configuration', async () => {
  const bad = await invoke({ $url: 'send', number: '12345', message: 'x' });
  assertErrorShape(bad, 100, 'input');
  assert.equal(bad.data, '手机号码格式不正确，请检查后重试。', 'a short sentence for the page');
  assert.equal(bad.error.reason, '参数格式错误');
  assert.equal(sb.requests.length, 0, 'refused before sending');

  assertErrorShape(await invoke({ $url: 'send', number: NUMBER, templateId: '1002' }), 117, 'input');

  process.env.ZHENZI_APP_SECRET = 'not-the-secret';
  const wrong = await invoke({ $url: 'balance' });
  assertErrorShape(wrong, 110, 'auth');
  assert.equal(wrong.data, '应用秘钥(AppSecret)错误');

  delete process.env.ZHENZI_APP_SECRET;
  assertErrorShape(await invoke({ $url: 'send', number: NUMBER, message: 'x' }), 9001, 'config');

  setEnv(Object.assign({}, env, { ZHENZI_API_URL: 'http://127.0.0.1:' + (await closedPort()) }));
  const down = await invoke({ $url: 'balance' });
  assertErrorShape(down, 9100, 'network');
  // A cloud function has no request-domain whitelist: its advice must not send the user there.
  assert.doesNotMatch(down.error.solution, /合法域名|whitelist|domain/i);
  assert.match(down.error.solution, /ZHENZI_API_URL/);
  assert.ok(guideRow(9100).includes(down.error.solution), 'the guide says what the function answers');
});

test('the secret is in no reply', () => {
  assert.ok(replies.length > 25, `${replies.length} replies`);
  for (const r of replies) assert.ok(!JSON.stringify(r).includes(SECRET), JSON.stringify(r));
});
