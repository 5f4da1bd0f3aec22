// Issue 18, fresh eyes' pass (fixed): the guide says Zhenzi's and Tencent's own texts and request ids
// go to 云函数日志 only. For Tencent that holds (replies marked remote); a refusal from Zhenzi
// whose kind is 'input' or 'config' (100, 101, 117…) keeps Zhenzi's words as error.detail in
// the page's reply to sendCode, the always-on route. The sandbox's texts equal the error
// table's, so this test answers sendCode from a loopback server speaking Zhenzi's protocol with
// a text of its own, as the vendor may.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const http = require('http');
const { createCloudSdk } = require('../cloud/wx-server-sdk-standin.js');
const { loadCloudFunction, invoker, setEnv, clearEnv, destroyAgents, capturingErrors } = require('../cloudmode/helpers.js');

const WORDS = '模板未审核 (template 1002, app 10001, RequestId 7d1f0c2a-vendor-internal)';
let server;
let url;
before(async () => {
  // Zhenzi's send reply shape ({code, data}); code 117: the template is not approved.
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8' });
      res.end(JSON.stringify({ code: 117, data: WORDS }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  url = 'http://127.0.0.1:' + server.address().port;
});
after(async () => {
  clearEnv();
  await new Promise((r) => server.close(r));
  destroyAgents();
});

test('sendCode refused by Zhenzi: Zhenzi\'s own words and ids stay in the log, the page gets the table\'s', async () => {
  setEnv({ ZHENZI_APP_ID: '10001', ZHENZI_APP_SECRET: 'ATTACK2-WORDS-SECRET-1c6d', ZHENZI_API_URL: url, ZHENZI_CODE_TEMPLATE_ID: '1002' });
  const cloudSdk = createCloudSdk({ openid: 'openid-alice' });
  const run = invoker(loadCloudFunction(cloudSdk), cloudSdk);
  const { result, lines } = await capturingErrors(() => run({ $url: 'sendCode', number: '13800138000' }));
  assert.equal(result.error && result.error.code, 117, JSON.stringify(result));
  assert.ok(lines.some((l) => l.includes('RequestId 7d1f0c2a')), 'the log has Zhenzi\'s words');
  assert.ok(!JSON.stringify(result).includes('RequestId'), 'the page got Zhenzi\'s words: ' + JSON.stringify(result.error));
});
