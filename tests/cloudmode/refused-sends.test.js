// Issue 18, fresh eyes' pass: a sendCode that Zhenzi refuses (nothing sent) gave its claims back
// with a compare-and-set on the seq it wrote; on a slot many calls share (the daily budget, an
// address's caps) another call had written since, so the give-back failed silently and the
// refused send stayed counted: concurrent refused sends spent the function's ZHENZI_DAILY_BUDGET
// with no SMS. Now a shared slot written since is read again and the core takes the use off it.
'use strict';
const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert');
const { startSandbox } = require('../../sandbox/server.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { loadCloudFunction, invoker, setEnv, clearEnv, destroyAgents, fakeClock, capturingErrors } = require('../cloudmode/helpers.js');

const SECRET = 'ATTACK2-REFUND-SECRET-7e02';
let sb;
before(async () => {
  // The Zhenzi console's per-number daily limit, set to 1 (the guide advises the console's limits).
  sb = await startSandbox({ port: 0, fixture: { apps: [{ appId: '10001', appSecret: SECRET, appName: '云短信体验', balance: 100000, dailyCapPerNumber: 1 }] } });
});
beforeEach(() => sb.reset());
after(async () => {
  clearEnv();
  await sb.close();
  destroyAgents();
});

test('sends Zhenzi refused (nothing sent) leave nothing counted, even when they ran concurrently', async () => {
  const clock = fakeClock();
  try {
    setEnv({ ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: SECRET, ZHENZI_API_URL: sb.url, ZHENZI_DAILY_BUDGET: 12 });
    const cloudSdk = createCloudSdk({ openid: 'openid-x' });
    const run = invoker(loadCloudFunction(cloudSdk), cloudSdk);
    const as = (i) => Object.assign(cloudSdk.context, { OPENID: 'openid-mallory-' + i, CLIENTIP: '198.51.100.' + (10 + i) });
    const number = (i) => '1390013900' + i;
    // Six accounts send one code each to six numbers of theirs: 6 SMS, and Zhenzi's limit for
    // each of those numbers is reached.
    for (let i = 0; i < 6; i++) {
      as(i);
      assert.equal((await run({ $url: 'sendCode', number: number(i) })).code, 'success');
    }
    // Past the cooldown, two waves of the same six at once: Zhenzi refuses each (109, definite:
    // nothing sent, so the function gives its claims back).
    const refused = [];
    for (let wave = 0; wave < 2; wave++) {
      clock.advance(61000);
      const { result } = await capturingErrors(() => Promise.all([0, 1, 2, 3, 4, 5].map((i) => {
        as(i);
        return run({ $url: 'sendCode', number: number(i) });
      })));
      refused.push(...result);
    }
    // (Each is refused: 109 from Zhenzi; once the leak has spent the budget, 9202 from the function.)
    assert.ok(refused.every((r) => r.error && (r.error.code === 109 || r.error.code === 9202)), JSON.stringify(refused.map((r) => r.error && r.error.code)));
    const sent = [0, 1, 2, 3, 4, 5].reduce((n, i) => n + sb.inbox(number(i)).length, 0);
    assert.equal(sent, 6, 'six SMS went out, of a budget of 12');
    // Three honest users, each with an account, an address and a number of their own: 6 + 3 of
    // 12 SMS, so each gets a code.
    const honest = [];
    for (let i = 0; i < 3; i++) {
      Object.assign(cloudSdk.context, { OPENID: 'openid-honest-' + i, CLIENTIP: '203.0.113.' + (50 + i) });
      honest.push((await capturingErrors(() => run({ $url: 'sendCode', number: '1370013700' + i }))).result);
    }
    const codes = honest.map((r) => r.code + (r.error ? ' ' + r.error.code + ' ' + r.error.detail : ''));
    assert.deepEqual(codes, ['success', 'success', 'success'], 'with 6 of 12 SMS sent');
  } finally {
    clock.restore();
  }
});
