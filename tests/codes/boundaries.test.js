// The drop-in in client (direct) mode, with the clock the SDK reads under test
// control (mp.global.Date.now): expiry edges, cooldown, attempts, single use, wrong number,
// no code, version B's validateCode(code), and a page upgraded mid-flow (vendor storage).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { startSandbox } = require('../../sandbox/server.js');
const { directClient, lastCode, wrongCode, phone } = require('./helpers.js');

const T0 = Date.UTC(2025, 5, 1, 2, 0, 0); // 10:00 in Beijing: the daily cap's day does not turn
const MESSAGE = '您的验证码为{code}，请勿告诉他人。';

let sb;
test.before(async () => {
  sb = await startSandbox({ port: 0 });
});
test.after(() => sb.close());

// One client per test, disposed at the end.
async function withClient(t, fn) {
  const c = await directClient(sb);
  c.setNow(T0);
  t.after(() => c.mp.dispose());
  return fn(c);
}

// sendCode in vendor B/C form; resolves to res (callback and Promise must agree).
async function sendCode(client, number, seconds, length) {
  let fromCallback;
  const res = await client.sendCode((r) => { fromCallback = r; }, number, MESSAGE, '', seconds, length);
  assert.strictEqual(fromCallback, res, 'callback and Promise got different results');
  return res;
}

test('expiry: just before → ok; exactly at and after → code_expired; a wrong code after expiry spends no attempt', (t) => withClient(t, async ({ mp, client, setNow }) => {
  const number = phone('1391', 1);
  const res = await sendCode(client, number, 120, 6);
  assert.strictEqual(res.data.code, 0, JSON.stringify(res.data));
  const code = lastCode(sb, number);
  assert.match(code, /^\d{6}$/);
  const expiresAt = T0 + 120 * 1000;
  setNow(expiresAt);
  assert.strictEqual(client.validateCode(number, code), 'code_expired');
  setNow(expiresAt + 1);
  assert.strictEqual(client.validateCode(number, code), 'code_expired');
  // Ten wrong codes after expiry: all code_expired, none counted...
  for (let i = 0; i < 10; i++) assert.strictEqual(client.validateCode(number, wrongCode(code)), 'code_expired');
  assert.strictEqual(mp.storage.get('sms_code').attemptsLeft, 5);
  // ...so back 1 ms before expiry, four wrong tries still leave the right one accepted.
  setNow(expiresAt - 1);
  for (let i = 0; i < 4; i++) assert.strictEqual(client.validateCode(number, wrongCode(code)), 'code_error');
  assert.strictEqual(client.validateCode(number, code), 'ok');
}));

test('the default lifetime is 5 minutes', (t) => withClient(t, async ({ client, setNow }) => {
  const number = phone('1391', 2);
  assert.strictEqual((await client.sendCode(null, { number, message: MESSAGE })).data.code, 0);
  const code = lastCode(sb, number);
  assert.match(code, /^\d{6}$/);
  setNow(T0 + 300000);
  assert.strictEqual(client.validateCode(number, code), 'code_expired');
  setNow(T0 + 299999);
  assert.strictEqual(client.validateCode(number, code), 'ok');
}));

test('cooldown: a second sendCode within 60 s is refused with 9201 and sends nothing; at 60 s it is allowed', (t) => withClient(t, async ({ mp, client, setNow }) => {
  const number = phone('1392', 1);
  assert.strictEqual((await sendCode(client, number, 300, 6)).data.code, 0);
  const first = lastCode(sb, number);
  const sandboxBefore = sb.requests.length;
  const pageBefore = mp.requests.length;
  for (const at of [T0 + 1, T0 + 30000, T0 + 59999]) {
    setNow(at);
    const res = await sendCode(client, number, 300, 6);
    assert.strictEqual(res.data.code, 9201, JSON.stringify(res.data));
    assert.strictEqual(typeof res.data.data, 'string');
    assert.ok(res.error && res.error.code === 9201);
  }
  assert.strictEqual(sb.requests.length, sandboxBefore, 'a refused sendCode reached the sandbox');
  assert.strictEqual(mp.requests.length, pageBefore, 'a refused sendCode made a wx.request');
  assert.strictEqual(sb.inbox(number).length, 1);
  // The refused tries did not replace the code that was sent.
  setNow(T0 + 59999);
  assert.strictEqual(client.validateCode(number, first), 'ok');
  setNow(T0 + 60000);
  const again = await sendCode(client, number, 300, 6);
  assert.strictEqual(again.data.code, 0, JSON.stringify(again.data));
  assert.strictEqual(sb.inbox(number).length, 2);
  assert.strictEqual(sb.requests.length, sandboxBefore + 1);
}));

test('cooldown is per number: another number may get a code at once', (t) => withClient(t, async ({ client }) => {
  assert.strictEqual((await sendCode(client, phone('1392', 2), 300, 6)).data.code, 0);
  assert.strictEqual((await sendCode(client, phone('1392', 3), 300, 6)).data.code, 0);
  assert.strictEqual(client.validateCode(phone('1392', 3), lastCode(sb, phone('1392', 3))), 'ok');
}));

test('daily cap: the 11th code to one number in a day is refused (9202) without a send; the next day is allowed', (t) => withClient(t, async ({ client, setNow }) => {
  const number = phone('1392', 4);
  for (let i = 0; i < 10; i++) {
    setNow(T0 + i * 60000);
    assert.strictEqual((await sendCode(client, number, 300, 6)).data.code, 0, `send ${i + 1}`);
  }
  const before = sb.requests.length;
  setNow(T0 + 10 * 60000);
  assert.strictEqual((await sendCode(client, number, 300, 6)).data.code, 9202);
  assert.strictEqual(sb.requests.length, before);
  assert.strictEqual(sb.inbox(number).length, 10);
  setNow(T0 + 86400000);
  assert.strictEqual((await sendCode(client, number, 300, 6)).data.code, 0);
}));

test('attempts: four wrong codes answer code_error, the 5th too_many_attempts, then even the right code is refused', (t) => withClient(t, async ({ client }) => {
  const number = phone('1393', 1);
  assert.strictEqual((await sendCode(client, number, 300, 6)).data.code, 0);
  const code = lastCode(sb, number);
  for (let i = 1; i <= 4; i++) assert.strictEqual(client.validateCode(number, wrongCode(code)), 'code_error', `attempt ${i}`);
  assert.strictEqual(client.validateCode(number, wrongCode(code)), 'too_many_attempts');
  assert.strictEqual(client.validateCode(number, code), 'too_many_attempts');
  assert.strictEqual(client.validateCode(number, code), 'too_many_attempts');
}));

test('single use: the right code twice → ok, then code_used (also through the callback form)', (t) => withClient(t, async ({ client }) => {
  const number = phone('1393', 2);
  assert.strictEqual((await sendCode(client, number, 300, 6)).data.code, 0);
  const code = lastCode(sb, number);
  assert.strictEqual(client.validateCode(number, code), 'ok');
  assert.strictEqual(client.validateCode(number, code), 'code_used');
  const seen = [];
  const viaCallback = await client.validateCode((r) => seen.push(r), number, code);
  assert.deepStrictEqual([viaCallback, seen], ['code_used', ['code_used']]);
}));

test('async validateCode(cb, number, code) answers ok once, through callback and Promise', (t) => withClient(t, async ({ client }) => {
  const number = phone('1393', 3);
  assert.strictEqual((await sendCode(client, number, 300, 6)).data.code, 0);
  const seen = [];
  const result = await client.validateCode((r) => seen.push(r), number, lastCode(sb, number));
  assert.deepStrictEqual([result, seen], ['ok', ['ok']]);
}));

test('another number → number_error, and it spends no attempt', (t) => withClient(t, async ({ client }) => {
  const number = phone('1393', 4);
  assert.strictEqual((await sendCode(client, number, 300, 6)).data.code, 0);
  const code = lastCode(sb, number);
  for (let i = 0; i < 6; i++) assert.strictEqual(client.validateCode(phone('1393', 5), code), 'number_error');
  assert.strictEqual(client.validateCode('not a number', code), 'number_error');
  assert.strictEqual(client.validateCode(number, code), 'ok');
}));

test('no code sent → empty', (t) => withClient(t, async ({ client }) => {
  assert.strictEqual(client.validateCode(phone('1393', 6), '123456'), 'empty');
  assert.strictEqual(client.validateCode(phone('1393', 6), ''), 'empty');
}));

test("version B's validateCode(code) answers 'ok' | 'error' | 'expired'", (t) => withClient(t, async ({ client, setNow }) => {
  const number = phone('1394', 1);
  assert.strictEqual((await sendCode(client, number, 60, 4)).data.code, 0);
  let code = lastCode(sb, number);
  assert.match(code, /^\d{4}$/);
  assert.strictEqual(client.validateCode(wrongCode(code)), 'error');
  assert.strictEqual(client.validateCode(code), 'ok');
  assert.strictEqual(client.validateCode(code), 'error'); // used: B has no word for it
  setNow(T0 + 60000);
  assert.strictEqual((await sendCode(client, number, 60, 4)).data.code, 0);
  code = lastCode(sb, number);
  setNow(T0 + 120000);
  assert.strictEqual(client.validateCode(code), 'expired');
  assert.strictEqual(client.validateCode(wrongCode(code)), 'expired');
}));

test("version B's validateCode(code) with nothing sent → 'error'", (t) => withClient(t, async ({ client }) => {
  assert.strictEqual(client.validateCode('1234'), 'error');
}));

test('a page upgraded mid-flow: a vendor record (plain sms_code, ms sms_code_expire) validates once', async (t) => {
  const number = phone('1395', 1);
  const storage = { sms_number: number, sms_code: '1234', sms_code_expire: T0 + 60000 };
  const c = await directClient(sb, { storage });
  t.after(() => c.mp.dispose());
  c.setNow(T0);
  assert.strictEqual(c.client.validateCode(number, '1234'), 'ok');
  assert.strictEqual(c.client.validateCode(number, '1234'), 'code_used');
  // Once checked, the plain code is gone from storage.
  assert.ok(!JSON.stringify([...c.mp.storage]).includes('1234'), JSON.stringify([...c.mp.storage]));
});

// A vendor record is re-kept hashed at its first check (src/code.rs verify): after one wrong
// guess the right code must still be accepted.
test('a vendor record still accepts the right code after a wrong guess', async (t) => {
  const number = phone('1395', 5);
  const c = await directClient(sb, { storage: { sms_number: number, sms_code: '1234', sms_code_expire: T0 + 60000 } });
  t.after(() => c.mp.dispose());
  c.setNow(T0);
  assert.strictEqual(c.client.validateCode(number, '1235'), 'code_error');
  assert.strictEqual(c.client.validateCode(number, '1234'), 'ok');
  assert.ok(!JSON.stringify([...c.mp.storage]).includes('1234'), JSON.stringify([...c.mp.storage]));
});

test('a vendor record keeps its expiry (and seconds are read as seconds)', async (t) => {
  const number = phone('1395', 2);
  const expired = await directClient(sb, { storage: { sms_number: number, sms_code: '4321', sms_code_expire: T0 - 1 } });
  t.after(() => expired.mp.dispose());
  expired.setNow(T0);
  assert.strictEqual(expired.client.validateCode(number, '4321'), 'code_expired');
  const inSeconds = await directClient(sb, { storage: { sms_number: number, sms_code: '4321', sms_code_expire: Math.floor(T0 / 1000) + 30 } });
  t.after(() => inSeconds.mp.dispose());
  inSeconds.setNow(T0);
  assert.strictEqual(inSeconds.client.validateCode(number, '4321'), 'ok');
});

test('a vendor record has the same attempt limit: the 5th wrong code locks it', async (t) => {
  const number = phone('1395', 3);
  const c = await directClient(sb, { storage: { sms_number: number, sms_code: '2468', sms_code_expire: T0 + 60000 } });
  t.after(() => c.mp.dispose());
  c.setNow(T0);
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push(c.client.validateCode(number, '1111'));
  assert.deepStrictEqual(answers, ['code_error', 'code_error', 'code_error', 'code_error', 'too_many_attempts']);
  assert.strictEqual(c.client.validateCode(number, '2468'), 'too_many_attempts');
  // And nothing stored afterwards is accepted as a code.
  for (const guess of ['', '[object Object]', 'undefined', 'null']) {
    assert.notStrictEqual(c.client.validateCode(number, guess), 'ok', `"${guess}" was accepted`);
  }
});

test('after a vendor record is used, no guess validates (not even what storage now holds)', async (t) => {
  const number = phone('1395', 4);
  const c = await directClient(sb, { storage: { sms_number: number, sms_code: '8642', sms_code_expire: T0 + 60000 } });
  t.after(() => c.mp.dispose());
  c.setNow(T0);
  assert.strictEqual(c.client.validateCode(number, '8642'), 'ok');
  for (const guess of ['8642', '', '[object Object]', 'undefined', 'null', 'NaN']) {
    assert.notStrictEqual(c.client.validateCode(number, guess), 'ok', `"${guess}" was accepted after use`);
  }
});
