// TencentSmsClient against the sandbox's Tencent endpoint, which verifies every signature with
// Node's crypto: what is accepted was signed right; every refusal reaches the caller as a
// ZhenziError with the table's 93xx row and Tencent's own code in `detail`.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const net = require('net');
const { npm, TencentSmsClient, TEMPORARY, NUMBER, clock, useSandbox, clientFor, rejection } = require('./helpers.js');

let sb;
useSandbox((s) => (sb = s));

const CODE_SEND = { number: NUMBER, templateId: '100001', templateParams: ['123456', '5'] };

test('a signed send is accepted and the text lands in the inbox', async () => {
  const r = await clientFor(sb).send(Object.assign({ sessionContext: 'login' }, CODE_SEND));
  assert.match(r.requestId, /^[0-9a-f-]{36}$/);
  assert.equal(r.statuses.length, 1);
  const [s] = r.statuses;
  assert.deepEqual([s.number, s.ok, s.code, s.sessionContext, s.fee], ['+8613800138000', true, 'Ok', 'login', 1]);
  assert.equal(s.error, undefined);
  const [msg] = sb.inbox(NUMBER);
  assert.equal(msg.message, '【云短信体验】您的验证码为123456，5分钟内有效。');
  assert.equal(msg.provider, 'tencent');
  assert.equal(msg.messageId, s.serialNo);
});

test('temporary credentials need their token (X-TC-Token)', async () => {
  const temp = { secretId: TEMPORARY.secretId, secretKey: TEMPORARY.secretKey };
  const ok = await clientFor(sb, Object.assign({ sessionToken: TEMPORARY.token }, temp)).send(CODE_SEND);
  assert.equal(ok.statuses[0].ok, true);
  const e = await rejection(clientFor(sb, temp).send({ number: '13900139000', templateId: '100002', templateParams: ['1'] }));
  assert.equal(e.code, 9303);
  assert.match(e.detail, /^AuthFailure\.TokenFailure: /);
  const wrong = await rejection(clientFor(sb, Object.assign({ sessionToken: 'stale' }, temp)).send({ number: '13900139000', templateId: '100002', templateParams: ['1'] }));
  assert.equal(wrong.code, 9303);
});

test('the clock: 4 minutes off is accepted, 6 minutes off is AuthFailure.SignatureExpire', async () => {
  const early = await clientFor(sb, { now: () => clock.ms - 4 * 60000 }).send(CODE_SEND);
  assert.equal(early.statuses[0].ok, true);
  for (const skew of [-6 * 60000, 6 * 60000]) {
    const e = await rejection(clientFor(sb, { now: () => clock.ms + skew }).send(CODE_SEND));
    assert.equal(e.code, 9302);
    assert.equal(e.kind, 'auth');
    assert.match(e.detail, /^AuthFailure\.SignatureExpire: /);
  }
});

test('wrong keys and unknown ids and apps are refused by the sandbox', async () => {
  const cases = [
    [{ secretKey: 'not-the-key' }, 9301, 'AuthFailure.SignatureFailure'],
    [{ secretId: 'AKIDnobody' }, 9301, 'AuthFailure.SecretIdNotFound'],
    [{ sdkAppId: '1400999999' }, 9304, 'UnauthorizedOperation.SmsSdkAppIdVerifyFail'],
    [{ signName: '别人的签名' }, 9324, 'FailedOperation.SignatureIncorrectOrUnapproved'],
  ];
  for (const [overrides, code, tencentCode] of cases) {
    const e = await rejection(clientFor(sb, overrides).send(CODE_SEND));
    assert.ok(e instanceof npm.ZhenziError);
    assert.equal(e.code, code, tencentCode);
    assert.equal(e.detail.split(':')[0], tencentCode);
    assert.equal(e.retriable, false);
  }
  assert.deepEqual(sb.inbox(NUMBER), []);
});

test('template variables: count and verification digits, checked by the sandbox and, when told, by the core', async () => {
  const c = clientFor(sb);
  const remote = [
    [{ templateParams: ['123456'] }, 9326, 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate'],
    [{ templateParams: ['1234567', '5'] }, 9321, 'InvalidParameterValue.TemplateParameterFormatError'],
    [{ templateParams: ['12a456', '5'] }, 9321, 'InvalidParameterValue.TemplateParameterFormatError'],
    [{ templateId: '999999' }, 9325, 'FailedOperation.TemplateIncorrectOrUnapproved'],
  ];
  for (const [change, code, tencentCode] of remote) {
    const e = await rejection(c.send(Object.assign({}, CODE_SEND, change)));
    assert.equal(e.code, code);
    assert.equal(e.detail.split(':')[0], tencentCode);
  }
  const before = sb.requests.length;
  const local = [
    [{ templateParams: ['123456'], templateParamCount: 2 }, 9326],
    [{ templateParams: ['1234567', '5'], verification: true }, 9321],
    [{ number: '12345' }, 100],
    [{ number: undefined }, 9327],
  ];
  for (const [change, code] of local) {
    const e = await rejection(c.send(Object.assign({}, CODE_SEND, change)));
    assert.equal(e.code, code);
  }
  assert.equal((await rejection(clientFor(sb, { signName: '12345' }).send(CODE_SEND))).code, 9324);
  assert.equal(sb.requests.length, before, 'refused before anything was sent');
});

test('one message per number every 30 s: a per-number status, not a rejection', async () => {
  const c = clientFor(sb);
  assert.equal((await c.send(CODE_SEND)).statuses[0].ok, true);
  clock.ms += 29000;
  const r = await c.send({ numbers: [NUMBER, '13900139000'], templateId: '100001', templateParams: ['654321', '5'] });
  const [limited, other] = r.statuses;
  assert.equal(limited.ok, false);
  assert.equal(limited.code, 'LimitExceeded.PhoneNumberThirtySecondLimit');
  assert.ok(limited.error instanceof npm.ZhenziError);
  assert.deepEqual([limited.error.code, limited.error.kind, limited.error.retriable], [9330, 'limit', false]);
  assert.equal(other.ok, true);
  clock.ms += 2000;
  assert.equal((await c.send(CODE_SEND)).statuses[0].ok, true);
  assert.equal(sb.inbox(NUMBER).length, 2);
});

test('transport failures: a hung endpoint times out (9101), a closed port is a network error (9100)', async () => {
  sb.queueFault({ fault: 'hang', path: '/' });
  const started = Date.now();
  const e = await rejection(clientFor(sb, { timeoutMs: 300 }).send(CODE_SEND));
  assert.equal(e.code, 9101);
  assert.ok(Date.now() - started < 2000);
  const port = await new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = srv.address().port;
      srv.close(() => resolve(p));
    });
  });
  assert.equal((await rejection(clientFor(sb, { endpoint: 'http://127.0.0.1:' + port }).send(CODE_SEND))).code, 9100);
  sb.queueFault({ fault: 'nonjson', path: '/' });
  assert.equal((await rejection(clientFor(sb).send(CODE_SEND))).code, 9103);
});

test('plain http only to loopback; https stays verified', async () => {
  for (const endpoint of ['http://sms.example.com', 'http://10.0.0.1:80', 'ftp://127.0.0.1']) {
    assert.equal((await rejection(clientFor(sb, { endpoint }).send(CODE_SEND))).code, 9001, endpoint);
  }
  for (const endpoint of ['http://localhost:' + sb.port, 'http://127.0.0.1:' + sb.port]) {
    assert.equal((await clientFor(sb, { endpoint }).send(CODE_SEND)).statuses[0].ok, true);
    clock.ms += 31000;
  }
});

test('TencentSmsClient is on the package entry, made from zhenzisms_tencent.js without requiring the entry back', () => {
  assert.equal(typeof npm.TencentSmsClient, 'function');
  assert.equal(npm.TencentSmsClient, TencentSmsClient);
  const module = require(require('path').join(__dirname, '../../dist/npm/zhenzisms_tencent.js'));
  assert.deepEqual(Object.keys(module), ['createTencentClient']);
});
