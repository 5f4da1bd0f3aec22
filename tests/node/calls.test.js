// The Promise API (ZhenziClient) from dist/npm against the sandbox, direct route: every call
// and what the server saw.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const { sdk, NUMBER, useSandbox, clientFor } = require('./helpers.js');

let sb;
useSandbox((s) => (sb = s));

test('the package exports both APIs and the error helpers', async () => {
  assert.equal(typeof sdk.ZhenziClient, 'function');
  assert.equal(typeof sdk.client.send, 'function');
  assert.equal(await sdk.ready(), true);
  assert.equal(sdk.errorInfo(108).reason, '短信余额不足');
  assert.ok(sdk.errorTable().some((e) => e.code === 9101 && e.kind === 'timeout'));
});

test('send v1 posts the text to /sms/send.do and resolves to the server text', async () => {
  const sms = clientFor(sb);
  const text = '您的订单已发货 & 100% 到货 +1';
  assert.equal(await sms.send({ number: NUMBER, message: text }, { messageId: 'order-1' }), '发送成功');
  assert.deepEqual(sb.requests.map((r) => r.path), ['/sms/send.do']);
  const form = sb.requests[0].form;
  assert.equal(form.appId, '10001');
  assert.equal(form.message, text);
  assert.equal(form.number, NUMBER);
  assert.equal(form.messageId, 'order-1');
  const inbox = sb.inbox(NUMBER);
  assert.equal(inbox.length, 1);
  assert.equal(inbox[0].message, text);
  assert.equal(inbox[0].messageId, 'order-1');
});

test('send v2 fills the template with Chinese text and a number', async () => {
  const sms = clientFor(sb);
  const reply = await sms.send({ number: NUMBER, templateId: '1001', templateParams: ['五六七八', 5] });
  assert.equal(reply, '发送成功');
  assert.equal(sb.requests[0].path, '/sms/v2/send.do');
  assert.deepEqual(JSON.parse(sb.requests[0].form.templateParams), ['五六七八', '5']);
  assert.equal(sb.inbox(NUMBER)[0].message, '您的验证码为五六七八，5分钟内有效。【云短信体验】');
});

test('send takes messageId and clientIp from the second argument', async () => {
  const sms = clientFor(sb);
  await sms.send({ number: NUMBER, message: 'x' }, { messageId: 'm-2', clientIp: '1.2.3.4' });
  assert.equal(sb.requests[0].form.messageId, 'm-2');
  assert.equal(sb.requests[0].form.clientIp, '1.2.3.4');
});

test('balance resolves to an integer and drops by one per send', async () => {
  const sms = clientFor(sb);
  const before = await sms.balance();
  assert.equal(typeof before, 'number');
  assert.ok(Number.isInteger(before));
  assert.equal(before, 1000);
  await sms.send({ number: NUMBER, message: 'one' });
  assert.equal(await sms.balance(), 999);
  assert.deepEqual(sb.requests.map((r) => r.path), ['/account/balance.do', '/sms/send.do', '/account/balance.do']);
});

test('findSmsByMessageId resolves to the record, and to null for an unknown id', async () => {
  const sms = clientFor(sb);
  await sms.send({ number: NUMBER, message: '查一查' }, { messageId: 'find-me' });
  const record = await sms.findSmsByMessageId('find-me');
  assert.equal(record.message, '查一查');
  assert.equal(record.toNumber, NUMBER);
  assert.equal(record.messageId, 'find-me');
  assert.equal(record.status, 'success');
  assert.equal(record.appName, '云短信体验');
  assert.match(record.createTime, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  assert.equal(await sms.findSmsByMessageId('never-sent'), null);
  assert.equal(sb.requests[2].path, '/smslog/findSmsByMessageId.do');
  assert.equal(sb.requests[2].form.messageId, 'never-sent');
});

test('a message of exactly 1000 characters is sent', async () => {
  const sms = clientFor(sb);
  assert.equal(await sms.send({ number: NUMBER, message: '验'.repeat(1000) }), '发送成功');
  assert.equal([...sb.inbox(NUMBER)[0].message].length, 1000);
});

test('calls in parallel each get their own answer', async () => {
  const sms = clientFor(sb);
  const ids = Array.from({ length: 20 }, (_, i) => 'p-' + i);
  await Promise.all(ids.map((id) => sms.send({ number: NUMBER, message: 'text ' + id }, { messageId: id })));
  const found = await Promise.all(ids.map((id) => sms.findSmsByMessageId(id)));
  assert.deepEqual(found.map((r) => r.message), ids.map((id) => 'text ' + id));
});

test('the client does not change the objects it is given', async () => {
  const sms = clientFor(sb);
  const message = { number: NUMBER, templateId: '1001', templateParams: ['1', 2] };
  const extra = { messageId: 'frozen-1' };
  const copy = JSON.stringify([message, extra]);
  await sms.send(Object.freeze(message), Object.freeze(extra));
  assert.equal(JSON.stringify([message, extra]), copy);
});

test('vendor client in Node: init(apiUrl, 10001, secret) with a numeric appId works, as it did with the vendor SDK', async () => {
  sdk.client.init(sb.url, 10001, 'sandbox-secret-10001');
  const res = await sdk.client.send(null, NUMBER, 'numeric appId');
  assert.deepEqual(res.data, { code: 0, data: '发送成功' });
  assert.equal(sb.requests[0].form.appId, '10001');
  assert.deepEqual(JSON.parse(JSON.stringify(sdk.client)), { mode: 'direct', appId: '10001' });
});
