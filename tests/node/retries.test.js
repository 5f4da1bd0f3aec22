// Retries exactly where the rule says (the core's plan, src/policy.rs, which client.js follows):
// balance and lookups on retriable errors; sends only when no connection was made. And
// keep-alive: few connections for many calls.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const diagnostics = require('diagnostics_channel');
const { sdk, NUMBER, useSandbox, clientFor, closedPort, rejection, emptyAgents } = require('./helpers.js');

let sb;
useSandbox((s) => (sb = s));

// Counts client sockets Node opens while `fn` runs (each connection attempt is one), by
// listening on Node's own 'net.client.socket' diagnostics channel: nothing is replaced.
async function countConnectAttempts(fn) {
  let attempts = 0;
  const onSocket = () => attempts++;
  diagnostics.subscribe('net.client.socket', onSocket);
  try {
    const result = await fn();
    return { attempts, result };
  } finally {
    diagnostics.unsubscribe('net.client.socket', onSocket);
  }
}

test('balance: one 502, then success → resolves after 2 requests', async () => {
  sb.queueFault({ fault: 'http502', path: '/account/balance.do', count: 1 });
  assert.equal(await clientFor(sb).balance(), 1000);
  assert.deepEqual(sb.requests.map((r) => r.status), [502, 200]);
});

test('balance: retries stop at 1 + retries requests', async () => {
  sb.queueFault({ fault: 'http502', path: '/account/balance.do', count: 10 });
  const e = await rejection(clientFor(sb, '10001', { retries: 2 }).balance());
  assert.equal(e.code, 9102);
  assert.equal(sb.requests.length, 3);
});

test('balance: a non-retriable error (110) is not retried', async () => {
  const e = await rejection(clientFor(sb, '10001', { appSecret: 'wrong' }).balance());
  assert.equal(e.code, 110);
  assert.equal(sb.requests.length, 1);
});

test('find: one 502, then success → resolves after 2 requests', async () => {
  const sms = clientFor(sb);
  await sms.send({ number: NUMBER, message: 'look me up' }, { messageId: 'r-1' });
  sb.queueFault({ fault: 'http502', path: '/smslog/findSmsByMessageId.do', count: 1 });
  const record = await sms.findSmsByMessageId('r-1');
  assert.equal(record.message, 'look me up');
  assert.deepEqual(sb.requests.map((r) => [r.path, r.status]), [
    ['/sms/send.do', 200],
    ['/smslog/findSmsByMessageId.do', 502],
    ['/smslog/findSmsByMessageId.do', 200],
  ]);
});

test('find: a timeout (hang) then success → resolves after 2 requests', async () => {
  sb.queueFault({ fault: 'hang', path: '/smslog/findSmsByMessageId.do', count: 1 });
  assert.equal(await clientFor(sb, '10001', { timeoutMs: 300 }).findSmsByMessageId('none'), null);
  assert.equal(sb.requests.length, 2);
});

for (const fault of ['http502', 'reset', 'nonjson', 'code1000', 'hang']) {
  test(`send: ${fault} → rejects after exactly 1 request (a send that reached the server is never repeated)`, async () => {
    sb.queueFault({ fault, count: 5 });
    const e = await rejection(clientFor(sb, '10001', { retries: 3, timeoutMs: 300 }).send({ number: NUMBER, message: 'once' }));
    assert.ok(e.retriable, 'the error itself is retriable');
    assert.equal(sb.requests.length, 1);
  });
}

test('send: template sends follow the same rule', async () => {
  sb.queueFault({ fault: 'http502', count: 5 });
  const e = await rejection(clientFor(sb, '10001', { retries: 3 }).send({ number: NUMBER, templateId: '1001', templateParams: ['1', '2'] }));
  assert.equal(e.code, 9102);
  assert.equal(sb.requests.length, 1);
});

test('send to a refused port (nothing sent) is tried 1 + retries times, with backoff', async () => {
  const port = await closedPort();
  const sms = new sdk.ZhenziClient({ route: 'direct', apiUrl: 'http://127.0.0.1:' + port, appId: '10001', appSecret: 's', retries: 2, retryDelayMs: 40 });
  const started = Date.now();
  const { attempts, result } = await countConnectAttempts(() => rejection(sms.send({ number: NUMBER, message: 'x' })));
  const took = Date.now() - started;
  assert.equal(result.code, 9100);
  assert.equal(attempts, 3);
  assert.ok(took >= 40 + 80, `backoff 40 + 80 ms, took ${took} ms`);
});

test('retries: 0 disables retrying, for sends and for balance', async () => {
  const port = await closedPort();
  const sms = new sdk.ZhenziClient({ route: 'direct', apiUrl: 'http://127.0.0.1:' + port, appId: '10001', appSecret: 's', retries: 0 });
  const sent = await countConnectAttempts(() => rejection(sms.send({ number: NUMBER, message: 'x' })));
  assert.equal(sent.result.code, 9100);
  assert.equal(sent.attempts, 1);
  const balance = await countConnectAttempts(() => rejection(sms.balance()));
  assert.equal(balance.attempts, 1);

  sb.queueFault({ fault: 'http502', path: '/account/balance.do', count: 1 });
  const e = await rejection(clientFor(sb, '10001', { retries: 0 }).balance());
  assert.equal(e.code, 9102);
  assert.equal(sb.requests.length, 1);
});

test('the default is 2 retries', async () => {
  sb.queueFault({ fault: 'http502', path: '/account/balance.do', count: 2 });
  assert.equal(await clientFor(sb).balance(), 1000);
  assert.equal(sb.requests.length, 3);
  sb.reset();
  sb.queueFault({ fault: 'http502', path: '/account/balance.do', count: 3 });
  await rejection(clientFor(sb).balance());
  assert.equal(sb.requests.length, 3);
});

test('the plan comes from the core with the built request, and a budget is split there', async () => {
  await sdk.ready();
  const plan = (op, retry, params = { number: NUMBER, message: 'x' }) => {
    const config = { route: 'direct', apiUrl: sb.url, appId: '1', appSecret: 's', retry };
    return sdk.server.core().buildRequest(op, config, params).ok.retry;
  };
  assert.deepEqual(plan('balance', { retries: 3, retryDelayMs: 40, timeoutMs: 300 }), { timeoutMs: 300, delaysMs: [40, 80, 160], on: 'retriable' });
  assert.deepEqual(plan('send', { retries: 2 }), { timeoutMs: 10000, delaysMs: [200, 400], on: 'unsent' });
  assert.deepEqual(plan('send', undefined, { number: NUMBER, templateId: '7', templateParams: ['1'] }).on, 'unsent');
  // The cloud function's budget: a send gets it whole, a read shares it with its retries.
  const cloud = { budgetMs: 2500, retries: 2, retryDelayMs: 50 };
  assert.deepEqual(plan('send', cloud), { timeoutMs: 2500, delaysMs: [], on: 'unsent' });
  assert.deepEqual(plan('balance', cloud), { timeoutMs: 783, delaysMs: [50, 100], on: 'retriable' });
});

test('keep-alive: 50 sequential balance calls use few connections', async () => {
  await emptyAgents(); // start with no pooled sockets
  let connections = 0;
  const onConnection = () => connections++;
  sb.server.on('connection', onConnection);
  try {
    const sms = clientFor(sb);
    for (let i = 0; i < 50; i++) assert.equal(await sms.balance(), 1000);
  } finally {
    sb.server.off('connection', onConnection);
  }
  assert.equal(sb.requests.length, 50);
  assert.ok(connections >= 1 && connections <= 2, `${connections} connections for 50 calls`);
});

test('keep-alive: 64 parallel sends stay within the agent\'s 16 sockets', async () => {
  await emptyAgents();
  let connections = 0;
  const onConnection = () => connections++;
  sb.server.on('connection', onConnection);
  try {
    const sms = clientFor(sb);
    await Promise.all(Array.from({ length: 64 }, (_, i) => sms.send({ number: NUMBER, message: 'n' + i })));
  } finally {
    sb.server.off('connection', onConnection);
  }
  assert.equal(sb.inbox(NUMBER).length, 64);
  assert.ok(connections <= 16, `${connections} connections`);
});
