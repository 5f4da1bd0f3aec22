// Issue 18, fresh eyes' pass: the opt-in `send` route counted a template send as one SMS in
// ZHENZI_DAILY_BUDGET and the per-address caps, whatever the page put in templateParams, while the
// template filled with a page's long parameter is billed as many parts. Now its parameters are
// counted as the parts they are billed as (the template's own text is Zhenzi's, unknown here).
'use strict';
const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert');
const path = require('path');
const { startSandbox } = require('../../sandbox/server.js');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { FUNCTION_DIR, loadCloudFunction, invoker, setEnv, clearEnv, destroyAgents } = require('../cloudmode/helpers.js');

const SECRET = 'ATTACK2-TPL-SECRET-41c9';
let sb;
before(async () => {
  sb = await startSandbox({ port: 0, fixture: { apps: [{ appId: '10001', appSecret: SECRET, appName: '云短信体验', balance: 100000 }] } });
});
beforeEach(() => sb.reset());
after(async () => {
  clearEnv();
  await sb.close();
  destroyAgents();
});

test('send with templateParams: the parts Zhenzi bills stay within ZHENZI_DAILY_BUDGET, as a long free text does', async () => {
  setEnv({ ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: SECRET, ZHENZI_API_URL: sb.url, ZHENZI_COMPAT: 'vendor', ZHENZI_DAILY_BUDGET: 20, ZHENZI_ROUTE_DAILY_CAP: 100 });
  const cloudSdk = createCloudSdk({ openid: 'openid-a' });
  const run = invoker(loadCloudFunction(cloudSdk), cloudSdk);
  const access = require(path.join(FUNCTION_DIR, 'zhenzisms_core_access.js'));
  await access.ready();
  // Template 1001 of the sandbox ("您的验证码为{1}，{2}分钟内有效。【云短信体验】"), approved, with
  // a 900-character first parameter: one request, a 921-character SMS.
  const params = ['长'.repeat(900), '5'];
  const replies = [];
  for (let i = 0; i < 6; i++) {
    cloudSdk.context.OPENID = 'openid-' + i;
    cloudSdk.context.CLIENTIP = '203.0.113.' + (10 + i);
    replies.push(await run({ $url: 'send', number: '1390013900' + i, templateId: '1001', templateParams: params }));
  }
  const delivered = [];
  for (let i = 0; i < 6; i++) delivered.push(...sb.inbox('1390013900' + i));
  const billed = delivered.reduce((n, m) => n + access.core.smsParts(m.message).ok, 0);
  assert.ok(billed <= 20, `ZHENZI_DAILY_BUDGET is 20, but ${delivered.length} template sends were billed as ${billed} parts: ` + JSON.stringify(replies.map((r) => r.code)));
});
