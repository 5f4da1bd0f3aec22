// Secret hygiene for Tencent: a distinctive SecretKey and session token are used for successes
// and failures of every kind, and must then appear nowhere a developer could print: the client
// (String, JSON, util.inspect), results, errors (message, stack, JSON, inspect) and console.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { withConsole, renderings } = require('../node/leaks.js');
const { startSandbox, clientFor, nodePlatform, NUMBER, APP, clock } = require('./helpers.js');

const KEY = 'KEY-SECRET-7d1e';
const TOKEN = 'TOKEN-SECRET-9a2b';
const SECRETS = [KEY, TOKEN];

// The sandbox learns these credentials: successes prove they were really in use.
let sb;
before(async () => {
  sb = await startSandbox({
    port: 0,
    now: () => new Date(clock.ms),
    tencent: { credentials: [{ secretId: 'AKIDhygiene', secretKey: KEY, token: TOKEN }] },
  });
});
after(async () => {
  await sb.close();
  for (const agent of Object.values(nodePlatform.agents)) agent.destroy();
});

test('TencentSmsClient: no key or token in the client, results, errors or console output', async () => {
  const [outcomes, lines] = await withConsole(async () => {
    const make = (o) => clientFor(sb, Object.assign({ secretId: 'AKIDhygiene', secretKey: KEY, sessionToken: TOKEN, timeoutMs: 300 }, o));
    const c = make();
    const run = [];
    const add = async (p) => run.push(await p.then((value) => ({ value }), (error) => ({ error })));
    await add(c.send({ number: NUMBER, templateId: '100002', templateParams: ['1234'] }));
    await add(c.send({ number: NUMBER, templateId: '100002', templateParams: ['1234'] })); // 30 s limit
    await add(c.send({ number: '1', templateId: '100002' }));
    await add(c.send({ number: NUMBER, templateId: '100002', templateParams: ['1234567'], verification: true }));
    await add(make({ secretKey: KEY + 'x' }).send({ number: '13900139000', templateId: '100002', templateParams: ['1'] }));
    await add(make({ sessionToken: TOKEN + 'x' }).send({ number: '13900139000', templateId: '100002', templateParams: ['1'] }));
    await add(make({ secretKey: KEY + '\u0007' }).send({ number: '13900139000', templateId: '100002', templateParams: ['1'] }));
    await add(make({ endpoint: 'http://sms.example.com' }).send({ number: NUMBER, templateId: '1' }));
    await add(make({ now: () => clock.ms + 3600e3 }).send({ number: '13900139000', templateId: '100002', templateParams: ['1'] }));
    for (const fault of ['hang', 'http502', 'nonjson', 'reset']) {
      sb.queueFault({ fault, path: '/' });
      await add(c.send({ number: '13700137000', templateId: '100002', templateParams: ['1'] }));
      clock.ms += 31000;
    }
    return { run, clients: [c, make({ secretKey: KEY + 'x' })] };
  });
  const { run, clients } = outcomes;
  assert.equal(run[0].value.statuses[0].ok, true, 'the key and token were in use');
  assert.equal(run[1].value.statuses[0].error.code, 9330);
  const codes = run.filter((o) => o.error).map((o) => o.error.code);
  for (const code of [100, 9321, 9301, 9303, 9001, 9302, 9101, 9102, 9103]) assert.ok(codes.includes(code), `covered ${code}: ${codes}`);
  for (const v of [...clients, ...run, ...run.map((o) => o.error || o.value.statuses[0].error).filter(Boolean), ...lines]) {
    for (const text of renderings(v)) {
      for (const secret of SECRETS) assert.ok(!String(text).includes(secret), `secret in ${String(text).slice(0, 300)}`);
    }
  }
  assert.ok(!Object.keys(clients[0]).some((k) => /secret|key|token/i.test(k)), 'no secret property');
  assert.equal(String(clients[0]), '[TencentSmsClient sdkAppId=' + APP.sdkAppId + ']');
  assert.deepEqual(JSON.parse(JSON.stringify(clients[0])), { sdkAppId: APP.sdkAppId });
});
