// Every error code through the Promise API: refused input never reaches the server; server
// codes come back as ZhenziError with the table's fields.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const { sdk, NUMBER, useSandbox, clientFor, rejection } = require('./helpers.js');

let sb;
useSandbox((s) => (sb = s));

function assertError(e, code, kind) {
  assert.ok(e instanceof sdk.ZhenziError, 'a ZhenziError');
  assert.ok(e instanceof Error, 'an Error');
  assert.equal(e.name, 'ZhenziError');
  assert.equal(e.code, code);
  assert.equal(e.kind, kind);
  const info = sdk.errorInfo(code);
  for (const k of ['reason', 'solution', 'retriable']) assert.equal(e[k], info[k], k);
  assert.ok(e.message.startsWith(info.reason + ' / ' + info.message), e.message); // zh / en
}

test('100: bad numbers and empty fields are refused before any request', async () => {
  const sms = clientFor(sb);
  const bad = [
    () => sms.send({ number: '1380013800', message: 'x' }),
    () => sms.send({ number: '23800138000', message: 'x' }),
    () => sms.send({ number: '', message: 'x' }),
    () => sms.send({ number: NUMBER, message: '' }),
    () => sms.send({ number: NUMBER, message: '   ' }),
    () => sms.send({ number: NUMBER, templateId: '' }),
    () => sms.send({ number: NUMBER, templateId: '1001', templateParams: [true] }),
    () => sms.send({ number: NUMBER, templateId: '1001', templateParams: 'abc' }),
    () => sms.findSmsByMessageId(''),
  ];
  for (const call of bad) assertError(await rejection(call()), 100, 'input');
  assert.deepEqual(sb.requests, []);
});

test('101: a message over 1000 characters is refused before any request', async () => {
  const sms = clientFor(sb);
  const e = await rejection(sms.send({ number: NUMBER, message: '验'.repeat(1001) }));
  assertError(e, 101, 'input');
  assert.match(e.detail, /1001/);
  assertError(await rejection(sms.send({ number: NUMBER, message: '😀'.repeat(1001) })), 101, 'input');
  assert.deepEqual(sb.requests, []);
});

test('9001: bad configuration is refused before any request', async () => {
  const configs = [
    { appId: '', appSecret: 's' },
    { appId: '10001', appSecret: '' },
    { appId: '10001', appSecret: 's', apiUrl: 'http://sms.example.com' },
    { appId: '10001', appSecret: 's', apiUrl: 'ftp://127.0.0.1' },
    { appId: '10001', appSecret: 's', apiUrl: sb.url, route: 'carrier-pigeon' },
  ];
  for (const c of configs) {
    const sms = new sdk.ZhenziClient(Object.assign({ apiUrl: sb.url, route: 'direct' }, c));
    assertError(await rejection(sms.balance()), 9001, 'config');
    assertError(await rejection(sms.send({ number: NUMBER, message: 'x' })), 9001, 'config');
  }
  assert.deepEqual(sb.requests, []);
});

// Server codes: [what, code, kind, call]
const serverCases = [
  ['unknown appId', 105, 'auth', (sb) => clientFor(sb, '99999').send({ number: NUMBER, message: 'x' })],
  ['banned app', 106, 'auth', (sb) => clientFor(sb, '10002').send({ number: NUMBER, message: 'x' })],
  ['IP not whitelisted', 107, 'auth', (sb) => clientFor(sb, '10004').balance()],
  ['balance 0', 108, 'account', (sb) => clientFor(sb, '10005').send({ number: NUMBER, message: 'x' })],
  ['wrong secret', 110, 'auth', (sb) => clientFor(sb, '10001', { appSecret: 'not-the-secret' }).balance()],
  ['no account', 111, 'auth', (sb) => clientFor(sb, '10003').findSmsByMessageId('m-1')],
  ['template not approved', 117, 'input', (sb) => clientFor(sb).send({ number: NUMBER, templateId: '1002', templateParams: ['x'] })],
  ['unknown template', 117, 'input', (sb) => clientFor(sb).send({ number: NUMBER, templateId: '4242' })],
];

for (const [what, code, kind, call] of serverCases) {
  test(`${code}: ${what} → ZhenziError with the server text, one request`, async () => {
    const e = await rejection(call(sb));
    assertError(e, code, kind);
    assert.equal(e.retriable, false);
    assert.equal(sb.requests.length, 1, 'not retried');
    assert.equal(sb.requests[0].code, code, 'the sandbox answered this code');
    assert.ok(e.detail, 'the server text is kept in detail');
  });
}

test('109: the third send of the day to one number on a capped app', async () => {
  const sms = clientFor(sb, '10006');
  await sms.send({ number: NUMBER, message: 'one' });
  await sms.send({ number: NUMBER, message: 'two' });
  assertError(await rejection(sms.send({ number: NUMBER, message: 'three' })), 109, 'limit');
  assert.equal(await sms.send({ number: '13900139000', message: 'another number' }), '发送成功');
  assert.equal(sb.inbox(NUMBER).length, 2);
});

test('1000: a vendor-side failure is retriable, and a send is still not repeated', async () => {
  sb.queueFault({ fault: 'code1000', count: 5 });
  const e = await rejection(clientFor(sb).send({ number: NUMBER, message: 'x' }));
  assertError(e, 1000, 'server');
  assert.equal(e.retriable, true);
  assert.equal(sb.requests.length, 1);
  assert.equal(sb.inbox(NUMBER).length, 0);
});

test('a server code the table does not know keeps its number, kind server', async () => {
  const http = require('http');
  const srv = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{"code":4242,"data":"新的错误"}'));
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const sms = new sdk.ZhenziClient({ route: 'direct', apiUrl: 'http://127.0.0.1:' + srv.address().port, appId: '1', appSecret: 's', retries: 0 });
    const e = await rejection(sms.balance());
    assert.equal(e.code, 4242);
    assert.equal(e.kind, 'server');
    assert.equal(e.reason, sdk.errorInfo(9999).reason);
    assert.equal(e.detail, '新的错误');
  } finally {
    srv.closeAllConnections();
    await new Promise((r) => srv.close(r));
  }
});
