'use strict';
// The phone side of WeChat's 手机号快速验证 (and 实时验证): client.verifyPhoneNumber(cb, e) takes
// the button's event as it comes. A deny, no permission, an event without a code (base library
// < 2.21.2) and direct mode answer with fallback 'sms' without calling the function; otherwise
// the function's answer is handed on; a failed call is {code: 'error', fallback: 'sms', error}
// (9105). One callback, and a Promise that resolves to the same answer (never rejects).

const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const h = require('./helpers.js');

const FUNCTION = path.join(__dirname, 'phone-function.js');
const standin = require(FUNCTION);

let sb;
test.before(async () => {
  sb = await h.startSandbox();
});
test.after(() => sb.close());
test.beforeEach(() => {
  sb.reset();
  standin.events.length = 0;
});

async function cloudSdk(t) {
  const mp = h.openMiniProgram(t, sb, { cloudFunctions: { zhenzisms: FUNCTION } });
  const zhenzisms = mp.require('/utils/zhenzisms.js');
  zhenzisms.client.initCloud({ name: 'zhenzisms' });
  await zhenzisms.client.ready();
  return { mp, zhenzisms };
}

// Calls verifyPhoneNumber both ways (callback, and the Promise without one) and checks they
// agree and the callback ran once; → the answer.
async function tap(zhenzisms, e) {
  const r = h.recorder();
  const returned = zhenzisms.client.verifyPhoneNumber(r.cb, e);
  const answer = await returned;
  await h.sleep(20);
  assert.strictEqual(r.calls.length, 1, 'the callback was not called exactly once');
  assert.strictEqual(r.calls[0], answer);
  assert.strictEqual(JSON.stringify(await zhenzisms.client.verifyPhoneNumber(e)), JSON.stringify(answer));
  return answer;
}

// Objects of the mini-program's realm, compared as data.
const plain = (v) => JSON.parse(JSON.stringify(v));
const event = (detail) => ({ type: 'getphonenumber', detail });

test('a deny, no permission and an old base library answer fallback sms without calling the function', async (t) => {
  const { zhenzisms } = await cloudSdk(t);
  for (const [detail, code] of [
    [{ errMsg: 'getPhoneNumber:fail user deny' }, 'user_deny'],
    [{ errMsg: 'getRealtimePhoneNumber:fail user deny' }, 'user_deny'],
    [{ errMsg: 'getPhoneNumber:fail no permission' }, 'no_permission'],
    [{ errMsg: 'getPhoneNumber:ok', encryptedData: 'x', iv: 'y' }, 'no_code'], // base library < 2.21.2
    [undefined, 'no_code'],
  ]) {
    const answer = await tap(zhenzisms, detail === undefined ? undefined : event(detail));
    assert.strictEqual(answer.code, code, JSON.stringify(detail));
    assert.strictEqual(answer.fallback, 'sms');
    assert.match(answer.msg, /短信验证码/);
  }
  assert.deepStrictEqual(standin.events, []);
});

test('direct mode has no function to exchange the code: not_cloud, nothing called', async (t) => {
  const mp = h.openMiniProgram(t, sb, { cloudFunctions: { zhenzisms: FUNCTION } });
  const zhenzisms = h.loadSdk(mp, sb);
  zhenzisms.client.init(h.API_URL, '10001', 'sandbox-secret-10001');
  const answer = await tap(zhenzisms, event({ errMsg: 'getPhoneNumber:ok', code: 'good' }));
  assert.deepStrictEqual([answer.code, answer.fallback], ['not_cloud', 'sms']);
  assert.deepStrictEqual(standin.events, []);
  assert.strictEqual(h.vendorRequests(sb).length, 0);
});

test('a code goes to the function as {$url: phoneNumber, code}; its success and its refusal are handed on', async (t) => {
  const { zhenzisms } = await cloudSdk(t);
  const ok = await tap(zhenzisms, event({ errMsg: 'getPhoneNumber:ok', code: 'good' }));
  assert.deepStrictEqual(plain(ok), { code: 'success', number: '13800138000', verified: { token: 'tok.en.sig', expiresAt: 4102444800000 }, msg: '验证成功' });
  assert.deepStrictEqual(plain(standin.events).map((e) => [e.$url, e.code]), [['phoneNumber', 'good'], ['phoneNumber', 'good']]);
  const used = await tap(zhenzisms, event({ errMsg: 'getRealtimePhoneNumber:ok', code: 'used' }));
  assert.strictEqual(used.code, 'invalid_code');
  assert.strictEqual(used.fallback, 'sms');
  assert.strictEqual(used.error.code, 9401);
  assert.match(used.msg, /短信验证码/);
});

test('a failed callFunction → {code: error, fallback: sms, error 9105}; the Promise still resolves', async (t) => {
  const { mp, zhenzisms } = await cloudSdk(t);
  const answer = await tap(zhenzisms, event({ errMsg: 'getPhoneNumber:ok', code: 'crash' }));
  assert.strictEqual(answer.code, 'error');
  assert.strictEqual(answer.fallback, 'sms');
  assert.ok(answer.error instanceof zhenzisms.ZhenziError);
  assert.strictEqual(answer.error.code, 9105);
  assert.match(answer.error.detail, /-504002/);
  // An answer of a shape the phone does not know is a failed call too.
  const weird = await tap(zhenzisms, event({ errMsg: 'getPhoneNumber:ok', code: 'weird' }));
  assert.strictEqual(weird.code, 'weird'); // a string code: the function's own tag, handed on
  assert.strictEqual(mp.errors.length, 0, String(mp.errors[0]));
});
