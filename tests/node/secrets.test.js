// Secret hygiene: a distinctive appSecret is used for successes and failures of every kind,
// and must then appear nowhere a developer could print: the clients themselves (String,
// JSON, util.inspect), results, errors (message, stack, JSON, inspect) and console output.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { withConsole, renderings } = require('./leaks.js');
const { sdk, NUMBER, startSandbox, closedPort, destroyAgents } = require('./helpers.js');

const SECRET = 'SECRET-5f0c9d';
const FIXTURE = {
  apps: [
    { appId: '20001', appSecret: SECRET, balance: 1000 },
    { appId: '20002', appSecret: SECRET, balance: 0 },
    { appId: '20003', appSecret: 'another-secret' },
  ],
};

let sb;
let deadPort;
before(async () => {
  sb = await startSandbox({ port: 0, fixture: FIXTURE });
  deadPort = await closedPort();
});
after(async () => {
  await sb.close();
  destroyAgents();
});

function assertNoSecret(what, values) {
  for (const v of values) {
    for (const text of renderings(v)) {
      assert.ok(!String(text).includes(SECRET), `${what}: the secret appears in ${String(text).slice(0, 300)}`);
    }
  }
}

// Settles a promise into its value or its error, keeping both for inspection.
function settle(p) {
  return p.then((value) => ({ value }), (error) => ({ error }));
}

test('ZhenziClient: no secret in the client, results, errors or console output', async () => {
  const make = (o) => new sdk.ZhenziClient(Object.assign({ route: 'direct', apiUrl: sb.url, appId: '20001', appSecret: SECRET, retries: 1, retryDelayMs: 1, timeoutMs: 300 }, o));
  const sms = make();
  const [outcomes, lines] = await withConsole(async () => {
    const run = [];
    const add = async (p) => run.push(await settle(p));
    await add(sms.send({ number: NUMBER, message: '你好 secret-free' }, { messageId: 'h-1' }));
    await add(sms.send({ number: NUMBER, templateId: '1001', templateParams: ['1234', 5] }));
    await add(sms.balance());
    await add(sms.findSmsByMessageId('h-1'));
    await add(sms.findSmsByMessageId('unknown'));
    // refused before sending
    await add(sms.send({ number: '123', message: 'x' }));
    await add(sms.send({ number: NUMBER, message: '长'.repeat(1001) }));
    await add(sms.send({ number: NUMBER, templateId: '1001', templateParams: [{}] }));
    await add(make({ apiUrl: 'http://sms.example.com' }).balance());
    await add(make({ appId: '' }).balance());
    await add(make({ appSecret: SECRET + '\u0007' }).balance());
    await add(make({ route: 'nowhere' }).balance());
    // the server says no
    await add(make({ appId: '99999' }).send({ number: NUMBER, message: 'x' }));
    await add(make({ appId: '20003' }).balance());
    await add(make({ appId: '20002' }).send({ number: NUMBER, message: 'x' }));
    await add(sms.send({ number: NUMBER, templateId: '1002' }));
    // transport and reply faults
    for (const fault of ['http502', 'nonjson', 'empty', 'reset', 'hang', 'code1000', 'chunked=7']) {
      sb.queueFault({ fault, count: 1 });
      await add(sms.send({ number: NUMBER, message: 'fault ' + fault }));
      sb.queueFault({ fault, count: 2 });
      await add(sms.balance());
    }
    await add(make({ apiUrl: 'http://127.0.0.1:' + deadPort }).send({ number: NUMBER, message: 'x' }));
    await add(make({ apiUrl: 'https://127.0.0.1:' + sb.port }).balance()); // TLS to a plain-http port
    return run;
  });

  // The secret really was in use: the successes needed it.
  assert.equal(outcomes[0].value, '发送成功');
  assert.equal(outcomes[2].value, 998);
  assert.equal(outcomes[3].value.messageId, 'h-1');
  const codes = outcomes.filter((o) => o.error).map((o) => o.error.code);
  for (const code of [100, 101, 9001, 105, 110, 108, 117, 9102, 9103, 9100, 9101, 1000]) assert.ok(codes.includes(code), `covered ${code}: ${codes}`);
  assert.ok(outcomes.every((o) => !o.error || o.error instanceof sdk.ZhenziError));

  assertNoSecret('ZhenziClient', [sms, make({ appId: '20002' })]);
  assertNoSecret('results and errors', outcomes);
  assertNoSecret('errors one by one', outcomes.filter((o) => o.error).map((o) => o.error));
  assertNoSecret('console', lines);
  assert.ok(!Object.keys(sms).some((k) => /secret/i.test(k)), 'no secret property');
  assert.equal(String(sms), '[ZhenziClient appId=20001]');
  assert.deepEqual(JSON.parse(JSON.stringify(sms)), { appId: '20001' });
});

test('vendor client after init(): no secret in the client, results, errors or console output', async () => {
  const { client } = sdk;
  const [outcomes, lines] = await withConsole(async () => {
    client.init(sb.url, '20001', SECRET);
    client.configure({ timeoutMs: 300 });
    await client.ready();
    const run = [];
    const add = async (p) => run.push(await p);
    const callbacks = [];
    const cb = (res) => callbacks.push(res);
    await add(client.send(cb, NUMBER, 'vendor A text', 'v-1'));
    await add(client.send(cb, { number: NUMBER, message: 'vendor D text' }));
    await add(client.send(cb, { number: NUMBER, templateId: '1001', templateParams: ['8888', '5'] }));
    await add(client.balance(cb));
    await add(client.findSmsByMessageId(cb, 'v-1'));
    await add(client.sendCode(cb, NUMBER, '验证码{code}', '', 300, 6));
    const code = /\d{6}/.exec(sb.inbox(NUMBER).pop().message)[0];
    run.push(client.validateCode(NUMBER, '000000' === code ? '111111' : '000000'));
    run.push(client.validateCode(NUMBER, code));
    run.push(client.createCode(6, 300, '13900139000'));
    try {
      client.createCode(99, 300, 'bad');
    } catch (e) {
      run.push(e);
    }
    await add(client.send(cb, 'bad-number', 'x'));
    await add(client.send(cb, NUMBER, ''));
    for (const fault of ['http502', 'nonjson', 'reset', 'hang', 'code1000']) {
      sb.queueFault({ fault, count: 1 });
      await add(client.send(cb, NUMBER, 'fault ' + fault));
    }
    client.init('http://127.0.0.1:' + deadPort, '20001', SECRET);
    await add(client.balance(cb));
    client.init('http://sms.example.com', '20001', SECRET);
    await add(client.balance(cb));
    client.init(sb.url, '20003', SECRET);
    await add(client.balance(cb));
    client.init(sb.url, '20001', SECRET);
    assert.equal(callbacks.length, run.filter((o) => o && o.errMsg).length, 'one callback per call');
    return run.concat(callbacks);
  });
  assert.equal(outcomes[0].data.code, 0, 'the secret was in use');
  assert.equal(outcomes[0].data.data, '发送成功');
  const codes = outcomes.map((o) => o && o.data && o.data.code);
  for (const code of [0, 100, 9102, 9103, 9100, 9101, 1000, 9001, 110]) assert.ok(codes.includes(code), `covered ${code}: ${codes}`);
  assert.ok(outcomes.includes('ok'), 'the code sent was validated');

  assertNoSecret('vendor client', [client, sdk]);
  assertNoSecret('vendor results', outcomes);
  assertNoSecret('console', lines);
  assert.equal(String(client), '[zhenzisms client direct]');
  assert.deepEqual(JSON.parse(JSON.stringify(client)), { mode: 'direct', appId: '20001' });
});
