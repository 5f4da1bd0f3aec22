// Issue 6.5: cloud mode. The drop-in calls the built cloud function (dist/cloudfunctions)
// through wx.cloud.callFunction in the simulator; the function keeps codes in the stand-in
// cloud DB and sends through the sandbox. The code never reaches the mini-program, resends are
// limited per number and per caller, a code is checked only for the caller who asked for it,
// it expires, attempts lock it, createCode is off by default, and of two concurrent checks of
// one code exactly one wins.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { startSandbox } = require('../../sandbox/server.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { cloudClient, loadCloudFunction, withEnv, cloudEnv: baseEnv, lastCode, strings, holds, wrongCode, phone } = require('./helpers.js');
const { documents } = require('../cloudmode/helpers.js');

// The deployment these tests configure: the template the pages pick is listed (guide §4).
const cloudEnv = (sb, extra) => baseEnv(sb, Object.assign({ ZHENZI_CODE_TEMPLATES: '1001', ZHENZI_CODE_MESSAGES: JSON.stringify(['码{code}', '验证码{code}，5分钟内有效', '您的验证码是{code}']) }, extra));

// The code documents in the database (not the limit slots beside them), opened.
function codeDocs(cloudSdk) {
  return documents(cloudSdk.db, 'code').map((d) => d.body).filter((b) => b.record);
}

let sb;
test.before(async () => {
  sb = await startSandbox({ port: 0 });
});
test.after(() => sb.close());

// A fresh cloud DB and mini-program per test, the function's env set for the test's duration.
function cloudTest(name, envExtra, fn) {
  test(name, async (t) => {
    const cloudSdk = createCloudSdk({ openid: 'openid-A' });
    const c = cloudClient(cloudSdk);
    t.after(() => c.mp.dispose());
    await withEnv(cloudEnv(sb, envExtra), () => fn(Object.assign({ cloudSdk }, c)));
  });
}

// Nothing the mini-program saw or kept holds `code`: cloud replies, storage, wx.request log, console.
function assertNeverOnClient({ mp, replies }, code) {
  assert.ok(replies.length > 0, 'no cloud reply was recorded');
  const seen = { replies, storage: [...mp.storage], requests: mp.requests, logs: mp.logs.map((l) => l.text) };
  for (const [where, value] of Object.entries(seen)) {
    const hits = strings(value).filter((s) => holds(s, code));
    assert.deepStrictEqual(hits, [], `the code ${code} reached the mini-program (${where})`);
  }
  assert.deepStrictEqual(mp.requests, [], 'cloud mode made a wx.request');
}

// The DB holds only hashes: no string anywhere in sms-record, as stored or opened with the
// function's key, holds a code that was sent as a number of its own (a 13-digit time may
// contain the same six digits by chance: that is not the code).
function assertNotInDb(cloudSdk, codes) {
  const docs = codeDocs(cloudSdk);
  assert.ok(docs.length > 0, 'no record was stored');
  for (const d of docs) assert.match(d.record.hash, /^[0-9a-f]{64}$/);
  const stored = strings(cloudSdk.db.dump('sms-record')).concat(strings(documents(cloudSdk.db).map((d) => d.body)));
  for (const code of codes) {
    assert.deepStrictEqual(stored.filter((s) => holds(s, code)), [], `the code ${code} is stored in clear`);
  }
}

function sendsTo(number) {
  return sb.requests.filter((r) => r.form && r.form.number === number).length;
}

cloudTest('every sendCode form → the phone → validateCode ok, then code_used; the code never reaches the client nor the DB in clear', { ZHENZI_COOLDOWN_SECONDS: 0 }, async (ctx) => {
  const { client, cloudSdk } = ctx;
  const forms = [
    (number) => client.sendCode(null, number, '验证码{code}，5分钟内有效', '', 300, 6),
    (number) => new Promise((resolve) => client.sendCode(resolve, { number, message: '您的验证码是{code}', length: 8 })),
    (number) => client.sendCode({ number, templateId: '1001', templateParams: ['{code}', '5'] }),
  ];
  const codes = [];
  for (let i = 0; i < forms.length; i++) {
    const number = phone('1380', i);
    // One user per form: two codes of one caller in the same millisecond would tie as "newest".
    cloudSdk.context.OPENID = 'openid-form-' + i;
    const res = await forms[i](number);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(res.data)), { code: 0, data: '发送成功' });
    const code = lastCode(sb, number);
    assert.match(code, i === 1 ? /^\d{8}$/ : /^\d{6}$/);
    codes.push(code);
    assert.strictEqual((await client.validateCode({ number: number, code: code })).result, 'ok');
    assert.strictEqual((await client.validateCode({ number: number, code: code })).result, 'code_used');
    const seen = [];
    assert.strictEqual(await client.validateCode((r) => seen.push(r), number, code), 'code_used');
    assert.deepStrictEqual(seen, ['code_used']);
  }
  assert.strictEqual(sb.inbox(phone('1380', 2))[0].message, `您的验证码为${codes[2]}，5分钟内有效。【云短信体验】`);
  for (const code of codes) assertNeverOnClient(ctx, code);
  // The replies are the vendor cloud function's shapes.
  const shapes = ctx.replies.map((r) => r.result && r.result.code);
  assert.deepStrictEqual(shapes, ['success', 'success', 'code_used', 'code_used', 'success', 'success', 'code_used', 'code_used', 'success', 'success', 'code_used', 'code_used']);
  assertNotInDb(cloudSdk, codes);
});

cloudTest('cooldown per number: a second sendCode within the cooldown → 9201 (intervalError), nothing sent', {}, async ({ client, cloudSdk, replies }) => {
  const number = phone('1381', 1);
  assert.strictEqual((await client.sendCode(null, number, '码{code}', '', 300, 6)).data.code, 0);
  const code = lastCode(sb, number);
  const before = sb.requests.length;
  const again = await client.sendCode(null, number, '码{code}', '', 300, 6);
  assert.strictEqual(again.data.code, 9201, JSON.stringify(again.data));
  assert.strictEqual(replies[replies.length - 1].result.code, 'intervalError');
  // Another user asking for the same number is refused too (the cooldown is the number's).
  cloudSdk.context.OPENID = 'openid-B';
  const other = await client.sendCode(null, number, '码{code}', '', 300, 6);
  assert.strictEqual(other.data.code, 9201, JSON.stringify(other.data));
  assert.strictEqual(sb.requests.length, before, 'a refused sendCode reached the sandbox');
  assert.strictEqual(sendsTo(number), 1);
  // The code that was sent still works for the user who asked for it.
  cloudSdk.context.OPENID = 'openid-A';
  assert.strictEqual((await client.validateCode({ number: number, code: code })).result, 'ok');
});

cloudTest('cooldown per caller: same openid, another number → refused; another openid → allowed', {}, async ({ client, cloudSdk, replies }) => {
  const [n1, n2, n3] = [phone('1382', 1), phone('1382', 2), phone('1382', 3)];
  assert.strictEqual((await client.sendCode(null, { number: n1, message: '码{code}' })).data.code, 0);
  const before = sb.requests.length;
  const refused = await client.sendCode(null, { number: n2, message: '码{code}' });
  assert.strictEqual(refused.data.code, 9201, JSON.stringify(refused.data));
  assert.strictEqual(replies[replies.length - 1].result.code, 'intervalError');
  assert.strictEqual(sb.requests.length, before);
  assert.strictEqual(sendsTo(n2), 0);
  cloudSdk.context.OPENID = 'openid-B';
  const allowed = await client.sendCode(null, { number: n3, message: '码{code}' });
  assert.strictEqual(allowed.data.code, 0, JSON.stringify(allowed.data));
  assert.strictEqual((await client.validateCode({ number: n3, code: lastCode(sb, n3) })).result, 'ok');
});

cloudTest("a code is checked only for its caller: user B cannot validate (or lock) user A's code", {}, async ({ client, cloudSdk }) => {
  const number = phone('1383', 1);
  assert.strictEqual((await client.sendCode(null, { number, message: '码{code}' })).data.code, 0);
  const code = lastCode(sb, number);
  cloudSdk.context.OPENID = 'openid-B';
  assert.strictEqual((await client.validateCode({ number: number, code: code })).result, 'empty');
  for (let i = 0; i < 6; i++) assert.notStrictEqual((await client.validateCode({ number: number, code: wrongCode(code) })).result, 'ok');
  // B has a code of its own (another number): A's code is still not B's.
  const bNumber = phone('1383', 2);
  assert.strictEqual((await client.sendCode(null, { number: bNumber, message: '码{code}' })).data.code, 0);
  assert.strictEqual((await client.validateCode({ number: number, code: code })).result, 'number_error');
  assert.strictEqual((await client.validateCode({ number: bNumber, code: code === lastCode(sb, bNumber) ? wrongCode(code) : code })).result, 'code_error');
  cloudSdk.context.OPENID = 'openid-A';
  assert.strictEqual((await client.validateCode({ number: number, code: code })).result, 'ok');
});

cloudTest('expiry from ZHENZI_CODE_SECONDS=1 (the page cannot lengthen it), and a 1 s cooldown ends', { ZHENZI_CODE_SECONDS: 1, ZHENZI_COOLDOWN_SECONDS: 1 }, async ({ client, cloudSdk }) => {
  const nA = phone('1384', 1);
  const nB = phone('1384', 2);
  assert.strictEqual((await client.sendCode(null, nA, '码{code}', '', 600, 6)).data.code, 0);
  cloudSdk.context.OPENID = 'openid-B';
  assert.strictEqual((await client.sendCode(null, { number: nB, message: '码{code}' })).data.code, 0);
  const [codeA, codeB] = [lastCode(sb, nA), lastCode(sb, nB)];
  assert.strictEqual((await client.sendCode(null, { number: nB, message: '码{code}' })).data.code, 9201);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.strictEqual((await client.validateCode({ number: nB, code: wrongCode(codeB) })).result, 'code_expired');
  assert.strictEqual((await client.validateCode({ number: nB, code: codeB })).result, 'code_expired');
  cloudSdk.context.OPENID = 'openid-A';
  assert.strictEqual((await client.validateCode({ number: nA, code: codeA })).result, 'code_expired'); // asked for 600 s, got 1 s
  // The cooldown is over: a new code, and it works.
  assert.strictEqual((await client.sendCode(null, nA, '码{code}', '', 600, 6)).data.code, 0);
  assert.strictEqual(sb.inbox(nA).length, 2);
  assert.strictEqual((await client.validateCode({ number: nA, code: lastCode(sb, nA) })).result, 'ok');
});

cloudTest('attempts lock after ZHENZI_MAX_ATTEMPTS wrong codes; then the right code is refused', { ZHENZI_MAX_ATTEMPTS: 3 }, async ({ client, cloudSdk }) => {
  const number = phone('1385', 1);
  assert.strictEqual((await client.sendCode(null, { number, message: '码{code}' })).data.code, 0);
  const code = lastCode(sb, number);
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push((await client.validateCode({ number: number, code: wrongCode(code) })).result);
  assert.deepStrictEqual(answers, ['code_error', 'code_error', 'too_many_attempts']);
  assert.strictEqual((await client.validateCode({ number: number, code: code })).result, 'too_many_attempts');
  assert.deepStrictEqual(codeDocs(cloudSdk).map((d) => [d.record.attemptsLeft, d.record.used]), [[0, false]]);
});

cloudTest('the createCode route is off by default, naming sendCode; client.createCode refuses in cloud mode', {}, async ({ mp, client, cloudSdk }) => {
  const number = phone('1386', 1);
  const r = await mp.wx.cloud.callFunction({ name: 'zhenzisms', data: { $url: 'createCode', number, length: 6 } });
  assert.strictEqual(r.result.code, 'disabled', JSON.stringify(r.result));
  assert.match(r.result.msg, /sendCode/);
  assert.doesNotMatch(JSON.stringify(r.result), /\d{6}/, 'no code in the refusal');
  assert.deepStrictEqual(codeDocs(cloudSdk), []);
  await client.ready(); // createCode is synchronous: its refusal is worded by the loaded core
  assert.throws(() => client.createCode(6, 300, number), (e) => e.name === 'ZhenziError' && /sendCode/.test(e.message));
});

cloudTest('ZHENZI_ALLOW_CREATE_CODE=true re-enables the vendor v2 route (the code is handed out, then checked once)', { ZHENZI_ALLOW_CREATE_CODE: 'true' }, async ({ mp, client, replies }) => {
  const number = phone('1386', 2);
  const r = await mp.wx.cloud.callFunction({ name: 'zhenzisms', data: { $url: 'createCode', number } });
  assert.strictEqual(r.result.code, 'success', JSON.stringify(r.result));
  assert.match(r.result.data, /^\d{6}$/);
  assert.strictEqual((await client.validateCode({ number: number, code: r.result.data })).result, 'ok');
  assert.strictEqual((await client.validateCode({ number: number, code: r.result.data })).result, 'code_used');
  // This route does hand the code to the client, and the check above sees it.
  assert.throws(() => assertNeverOnClient({ mp, replies }, r.result.data), /reached the mini-program \(replies\)/);
});

test('two concurrent validations of one code: exactly one success (20 runs, exports.main called directly)', async () => {
  const cloudSdk = createCloudSdk({ openid: 'openid-race' });
  await withEnv(cloudEnv(sb, { ZHENZI_COOLDOWN_SECONDS: 0, ZHENZI_DAILY_CAP: 0 }), async () => {
    const { main } = loadCloudFunction(cloudSdk);
    const codes = [];
    for (let run = 0; run < 20; run++) {
      const number = phone('1387', run);
      cloudSdk.context.OPENID = 'openid-race-' + run; // see the first test: no same-ms ties
      const sent = await main({ $url: 'sendCode', number, message: '码{code}' });
      assert.deepStrictEqual(sent, { code: 'success', msg: '发送成功' });
      const code = lastCode(sb, number);
      codes.push(code);
      const both = await Promise.all([
        main({ $url: 'validateCode', number, code }),
        main({ $url: 'validateCode', number, code }),
      ]);
      const answers = both.map((r) => r.code).sort();
      assert.deepStrictEqual(answers, ['code_used', 'success'], `run ${run + 1}: ${JSON.stringify(both)}`);
    }
    assertNotInDb(cloudSdk, codes);
    assert.strictEqual(codeDocs(cloudSdk).filter((d) => d.record.used).length, 20);
  });
});

test('concurrent wrong guesses are all counted: 5 at once lock a code with 5 attempts', async () => {
  const cloudSdk = createCloudSdk({ openid: 'openid-guess' });
  await withEnv(cloudEnv(sb, { ZHENZI_COOLDOWN_SECONDS: 0, ZHENZI_DAILY_CAP: 0 }), async () => {
    const { main } = loadCloudFunction(cloudSdk);
    for (let run = 0; run < 5; run++) {
      const number = phone('1388', run);
      cloudSdk.context.OPENID = 'openid-guess-' + run;
      assert.strictEqual((await main({ $url: 'sendCode', number, message: '码{code}' })).code, 'success');
      const code = lastCode(sb, number);
      const guesses = await Promise.all(Array.from({ length: 5 }, () => main({ $url: 'validateCode', number, code: wrongCode(code) })));
      const answers = guesses.map((r) => r.code).sort();
      assert.deepStrictEqual(answers, ['code_error', 'code_error', 'code_error', 'code_error', 'too_many_attempts'], `run ${run + 1}`);
      assert.strictEqual((await main({ $url: 'validateCode', number, code })).code, 'too_many_attempts');
    }
  });
});

test('a right code checked alongside concurrent wrong guesses is accepted once, or the code is locked', async () => {
  const cloudSdk = createCloudSdk({ openid: 'openid-mixed' });
  await withEnv(cloudEnv(sb, { ZHENZI_COOLDOWN_SECONDS: 0, ZHENZI_DAILY_CAP: 0 }), async () => {
    const { main } = loadCloudFunction(cloudSdk);
    for (let run = 0; run < 10; run++) {
      const number = phone('1389', run);
      cloudSdk.context.OPENID = 'openid-mixed-' + run;
      assert.strictEqual((await main({ $url: 'sendCode', number, message: '码{code}' })).code, 'success');
      const code = lastCode(sb, number);
      const calls = Array.from({ length: 4 }, () => main({ $url: 'validateCode', number, code: wrongCode(code) }));
      calls.splice(run % 5, 0, main({ $url: 'validateCode', number, code }));
      calls.push(main({ $url: 'validateCode', number, code }));
      const answers = (await Promise.all(calls)).map((r) => r.code);
      const right = [answers[run % 5], answers[answers.length - 1]].sort();
      // The right code wins exactly once; the second right check sees it used.
      assert.deepStrictEqual(right, ['code_used', 'success'], `run ${run + 1}: ${answers}`);
      assert.ok(answers.filter((a) => a === 'success').length === 1);
    }
  });
});

// A double tap: two sendCode calls of one user for one number at once. Both read "no recent
// code" before either stores one; the send slots (a compare-and-set in the database) let
// exactly one of them send.
test('two concurrent sendCode calls for one number: one SMS, the other intervalError', async () => {
  const cloudSdk = createCloudSdk({ openid: 'openid-double-tap' });
  await withEnv(cloudEnv(sb), async () => {
    const { main } = loadCloudFunction(cloudSdk);
    const number = phone('1386', 9);
    const both = await Promise.all([1, 2].map(() => main({ $url: 'sendCode', number, message: '码{code}' })));
    assert.deepStrictEqual(both.map((r) => r.code).sort(), ['intervalError', 'success']);
    assert.strictEqual(sb.inbox(number).length, 1);
  });
});
