// The full client-mode flow through the sandbox, in every call form the vendor
// versions used: sendCode → the phone (sandbox inbox) → validateCode → ok, then refused;
// the code is never stored in clear; createCode + a manual template send.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { startSandbox } = require('../../sandbox/server.js');
const { directClient, lastCode, strings, holds, phone } = require('./helpers.js');

let sb;
test.before(async () => {
  sb = await startSandbox({ port: 0 });
});
test.after(() => sb.close());

async function withClient(t, fn) {
  const c = await directClient(sb);
  t.after(() => c.mp.dispose());
  return fn(c);
}

// The code must not be anywhere in wx storage as text: only its keyed hash.
function assertNotInStorage(mp, code) {
  const stored = [...mp.storage.values()];
  assert.ok(stored.length > 0, 'nothing was stored');
  const hits = strings(stored).filter((s) => holds(s, code));
  assert.deepStrictEqual(hits, [], `the code ${code} is in storage`);
  const record = mp.storage.get('sms_code');
  assert.match(record.hash, /^[0-9a-f]{64}$/);
  assert.strictEqual(record.code, undefined);
}

// Reads the code the phone got, checks it, then checks it again.
function validateTwice(client, number, code) {
  return [client.validateCode(number, code), client.validateCode(number, code)];
}

test('B/C positional sendCode(cb, number, message, messageId, seconds, length) → inbox → ok, then code_used', (t) => withClient(t, async ({ mp, client }) => {
  const number = phone('1370', 1);
  const calls = [];
  const res = await client.sendCode((r) => calls.push(r), number, '验证码{code}，{code}分钟内有效', 'flow-b-1', 300, 8);
  assert.strictEqual(calls.length, 1);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(res.data)), { code: 0, data: '发送成功' }); // context-realm object
  const inbox = sb.inbox(number);
  assert.strictEqual(inbox.length, 1);
  const code = lastCode(sb, number);
  assert.match(code, /^\d{8}$/);
  // Every {code} is filled, and the messageId went with it.
  assert.strictEqual(inbox[0].message, `验证码${code}，${code}分钟内有效`);
  assert.strictEqual(inbox[0].messageId, 'flow-b-1');
  assertNotInStorage(mp, code);
  assert.deepStrictEqual(validateTwice(client, number, code), ['ok', 'code_used']);
}));

test('D object sendCode(cb, {number, message, seconds, length}) → inbox → ok, then code_used', (t) => withClient(t, async ({ mp, client }) => {
  const number = phone('1370', 2);
  const res = await client.sendCode(null, { number, message: '您的验证码是{code}。', seconds: 120, length: 4 });
  assert.strictEqual(res.data.code, 0, JSON.stringify(res.data));
  const code = lastCode(sb, number);
  assert.match(code, /^\d{4}$/);
  assert.strictEqual(sb.inbox(number)[0].message, `您的验证码是${code}。`);
  assertNotInStorage(mp, code);
  assert.deepStrictEqual(validateTwice(client, number, code), ['ok', 'code_used']);
}));

test("template sendCode({number, templateId: '1001', templateParams: ['{code}', '5']}) → inbox → ok, then code_used", (t) => withClient(t, async ({ mp, client }) => {
  const number = phone('1370', 3);
  const res = await client.sendCode({ number, templateId: '1001', templateParams: ['{code}', '5'] });
  assert.strictEqual(res.data.code, 0, JSON.stringify(res.data));
  const code = lastCode(sb, number);
  assert.match(code, /^\d{6}$/);
  assert.strictEqual(sb.inbox(number)[0].message, `您的验证码为${code}，5分钟内有效。【云短信体验】`);
  // It went as a v2 template send through the relay.
  const sent = sb.requests.filter((r) => r.form && r.form.number === number);
  assert.deepStrictEqual(sent.map((r) => r.path), ['/sms/v2/send.html']);
  assert.strictEqual(sent[0].form.templateId, '1001');
  assertNotInStorage(mp, code);
  assert.deepStrictEqual(validateTwice(client, number, code), ['ok', 'code_used']);
}));

test('a template without a {code} parameter gets the code as its first parameter', (t) => withClient(t, async ({ client }) => {
  const number = phone('1370', 4);
  const res = await client.sendCode({ number, templateId: '1001', templateParams: ['5'] });
  assert.strictEqual(res.data.code, 0, JSON.stringify(res.data));
  const code = lastCode(sb, number);
  assert.strictEqual(sb.inbox(number)[0].message, `您的验证码为${code}，5分钟内有效。【云短信体验】`);
  assert.strictEqual(client.validateCode(number, code), 'ok');
}));

test('a new code replaces the old one: after a resend only the newest code is accepted', (t) => withClient(t, async ({ mp, client }) => {
  const number = phone('1370', 5);
  mp.global.Date.now = () => 1750000000000;
  assert.strictEqual((await client.sendCode(null, number, '码{code}', '', 300, 6)).data.code, 0);
  const first = lastCode(sb, number);
  mp.global.Date.now = () => 1750000060000;
  assert.strictEqual((await client.sendCode(null, number, '码{code}', '', 300, 6)).data.code, 0);
  const second = lastCode(sb, number);
  if (first !== second) assert.strictEqual(client.validateCode(number, first), 'code_error');
  assert.strictEqual(client.validateCode(number, second), 'ok');
}));

test('createCode(6, 300, number) then a manual template send of it → validateCode → ok once', (t) => withClient(t, async ({ mp, client }) => {
  const number = phone('1370', 6);
  const code = client.createCode(6, 300, number);
  assert.match(code, /^\d{6}$/);
  assert.strictEqual(sb.inbox(number).length, 0, 'createCode must not send');
  assertNotInStorage(mp, code);
  const res = await new Promise((resolve) => client.send(resolve, { number, templateId: '1001', templateParams: [code, '5'] }));
  assert.strictEqual(res.data.code, 0, JSON.stringify(res.data));
  const received = lastCode(sb, number);
  assert.strictEqual(received, code);
  assert.deepStrictEqual(validateTwice(client, number, received), ['ok', 'code_used']);
}));

test('createCode honours length and lifetime and refuses 3 or 9 digits', (t) => withClient(t, async ({ mp, client }) => {
  const number = phone('1370', 7);
  mp.global.Date.now = () => 1750000000000;
  const code = client.createCode(4, 10, number);
  assert.match(code, /^\d{4}$/);
  mp.global.Date.now = () => 1750000010000;
  assert.strictEqual(client.validateCode(number, code), 'code_expired');
  for (const length of [3, 9]) {
    assert.throws(() => client.createCode(length, 300, number), (e) => e.name === 'ZhenziError' && e.code === 100);
  }
  assert.throws(() => client.createCode(6, 300, '12345'), (e) => e.code === 100);
}));

test('sendCode with a length of 3 or 9 is refused (100) before anything is sent', (t) => withClient(t, async ({ client }) => {
  const number = phone('1370', 8);
  const before = sb.requests.length;
  for (const length of [3, 9]) {
    const res = await client.sendCode(null, number, '码{code}', '', 300, length);
    assert.strictEqual(res.data.code, 100, JSON.stringify(res.data));
  }
  assert.strictEqual(sb.requests.length, before);
  assert.strictEqual(client.validateCode(number, '1234'), 'empty');
}));

test('a message without {code} is sent as written (as vendor D did), and the code made for it is stored', (t) => withClient(t, async ({ client }) => {
  const number = phone('1370', 9);
  const res = await client.sendCode(null, { number, message: '您好' });
  assert.strictEqual(res.data.code, 0, JSON.stringify(res.data));
  assert.deepStrictEqual(sb.inbox(number).map((m) => m.message), ['您好']);
  assert.strictEqual(client.validateCode(number, '12345678'), 'code_error');
}));

test('a failed send stores no code and starts no cooldown', (t) => withClient(t, async ({ client }) => {
  const number = phone('1371', 1);
  sb.queueFault({ fault: 'http502', count: 1 });
  const failed = await client.sendCode(null, number, '码{code}', '', 300, 6);
  assert.notStrictEqual(failed.data.code, 0);
  assert.strictEqual(typeof failed.data.code, 'number');
  assert.strictEqual(sb.inbox(number).length, 0);
  assert.strictEqual(client.validateCode(number, '123456'), 'empty');
  const retry = await client.sendCode(null, number, '码{code}', '', 300, 6);
  assert.strictEqual(retry.data.code, 0, JSON.stringify(retry.data));
  assert.strictEqual(client.validateCode(number, lastCode(sb, number)), 'ok');
}));

test('a server refusal (balance 0, app 10005) stores no code either', async (t) => {
  const number = phone('1371', 2);
  const c = await directClient(sb);
  t.after(() => c.mp.dispose());
  c.client.init('https://sms_developer.zhenzikj.com', '10005', 'sandbox-secret-10005');
  const res = await c.client.sendCode(null, number, '码{code}', '', 300, 6);
  assert.strictEqual(res.data.code, 108, JSON.stringify(res.data));
  assert.strictEqual(c.client.validateCode(number, '123456'), 'empty');
});
