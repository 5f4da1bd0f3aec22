// Issue 18, fresh eyes' pass (fixed): checkVerified's maxAgeSeconds is a backend's freshness demand,
// but a value it does not read as a whole positive number (0, a negative number, '30.5') gives
// the whole ZHENZI_VERIFY_SECONDS window instead of refusing: a demand for "verified within
// the last 0 s", or an age computed past its deadline, says success for a verification ten
// minutes old.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { startSandbox } = require('../../sandbox/server.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { loadCloudFunction, invoker, setEnv, clearEnv, destroyAgents, codeFromInbox, fakeClock } = require('../cloudmode/helpers.js');

const SECRET = 'ATTACK2-MAXAGE-SECRET-93fa';
let sb;
before(async () => {
  sb = await startSandbox({ port: 0, fixture: { apps: [{ appId: '10001', appSecret: SECRET, appName: '云短信体验', balance: 100000 }] } });
});
after(async () => {
  clearEnv();
  await sb.close();
  destroyAgents();
});

test('checkVerified with maxAgeSeconds 0, -60 or "30.5" does not vouch for a verification 500 s old', async () => {
  const clock = fakeClock();
  try {
    setEnv({ ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: SECRET, ZHENZI_API_URL: sb.url });
    const cloudSdk = createCloudSdk({ openid: 'openid-alice' });
    const run = invoker(loadCloudFunction(cloudSdk), cloudSdk);
    const number = '13800138000';
    await run({ $url: 'sendCode', number });
    assert.equal((await run({ $url: 'validateCode', number, code: codeFromInbox(sb, number) })).code, 'success');
    clock.advance(500000); // 500 s later, inside ZHENZI_VERIFY_SECONDS (600)
    assert.equal((await run({ $url: 'checkVerified', number, maxAgeSeconds: 60 })).code, 'not_verified', 'a whole number is honoured');
    // Refused (not_verified, or a typed refusal of the value): anything but success.
    const vouched = [];
    for (const maxAgeSeconds of [0, -60, '30.5']) {
      if ((await run({ $url: 'checkVerified', number, maxAgeSeconds })).code === 'success') vouched.push(maxAgeSeconds);
    }
    assert.deepEqual(vouched, [], 'success for a verification 500 s old with maxAgeSeconds ' + JSON.stringify(vouched));
  } finally {
    clock.restore();
  }
});
