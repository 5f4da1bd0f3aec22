'use strict';
// The browser folder (dist/npm/browser: the drop-in on fetch) in headless Chromium: a loopback server serves it with a test page
// (the .wasm.br with Content-Encoding: br) and proxies /sms/* to the sandbox, which is then the
// relay at the page's own origin. The web platform uses fetch, WebAssembly and
// crypto.getRandomValues there.

const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const h = require('./helpers.js');
const { startBrowserServer } = require('./browser-server.js');

const { chromium } = require(path.join(h.REPO, 'tools/node_modules/playwright-core'));
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let sb;
let server;
let browser;
let page;
const pageErrors = [];

test.before(async () => {
  sb = await h.startSandbox();
  server = await startBrowserServer(h.DIST_BROWSER, sb.url);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(server.url + '/');
});

test.after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (sb) await sb.close();
});

test.beforeEach(() => sb.reset());

// Runs `fn(zhenzisms, arg)` in the page; what it returns must be JSON-clonable.
function inPage(fn, arg) {
  return page.evaluate(
    async ({ source, arg }) => {
      const zhenzisms = await window.zhenzisms;
      // eslint-disable-next-line no-new-func
      return new Function('return ' + source)()(zhenzisms, arg);
    },
    { source: fn.toString(), arg },
  );
}

test('Chromium: the folder loads (the wasm fetched with Content-Encoding: br) and ready() resolves', async () => {
  const ready = await inPage(async (z, relay) => {
    z.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
    z.client.configure({ relayUrl: relay });
    return z.client.ready();
  }, server.url);
  assert.strictEqual(ready, true);
  const wasm = server.log.find((r) => r.path === '/zhenzisms_bg.wasm.br');
  assert.ok(wasm, 'the page never fetched the wasm');
  assert.strictEqual(wasm.status, 200);
  assert.strictEqual(wasm.encoding, 'br');
  const scripts = server.log.filter((r) => r.path.endsWith('.js'));
  assert.ok(scripts.some((r) => r.path === '/zhenzisms_web.js'));
  assert.ok(scripts.every((r) => r.status === 200), JSON.stringify(scripts));
  assert.deepStrictEqual(pageErrors, []);
});

test('Chromium: send(cb, number, message, messageId) from the page; the sandbox inbox receives it', async () => {
  const res = await inPage(
    (z, a) =>
      new Promise((resolve) => {
        z.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
        z.client.configure({ relayUrl: a.relay });
        let calls = 0;
        z.client.send(
          function (r) {
            calls++;
            setTimeout(() => resolve({ data: r.data, statusCode: r.statusCode, errMsg: r.errMsg, calls }), 50);
          },
          a.number,
          '浏览器发送测试：您的验证码为8642。',
          'browser-1',
        );
      }),
    { relay: server.url, number: h.NUMBER },
  );
  assert.deepStrictEqual(res, { data: { code: 0, data: '发送成功' }, statusCode: 200, errMsg: 'request:ok', calls: 1 });
  assert.deepStrictEqual(sb.inbox(h.NUMBER).map((m) => [m.message, m.messageId]), [['浏览器发送测试：您的验证码为8642。', 'browser-1']]);
  const req = h.vendorRequests(sb)[0];
  assert.strictEqual(req.path, '/sms/send.html');
  assert.strictEqual(req.form.apiUrl, h.API_URL);
  assert.strictEqual(req.form.appId, '10001');
  assert.deepStrictEqual(pageErrors, []);
});

test('Chromium: balance, find, sendCode + validateCode (localStorage) and a template send', async () => {
  const out = await inPage(async (z, a) => {
    z.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
    z.client.configure({ relayUrl: a.relay });
    const call = (f) => new Promise((resolve) => f(resolve));
    const sent = await call((cb) => z.client.send(cb, { number: a.number, message: '查找我。', messageId: 'browser-find' }));
    const found = await call((cb) => z.client.findSmsByMessageId(cb, 'browser-find'));
    const code = await call((cb) => z.client.sendCode(cb, { number: a.codeNumber, message: '您的验证码为{code}。', length: 6 }));
    const template = await call((cb) => z.client.send(cb, { templateId: '1001', templateParams: ['2580', '3'], number: a.number }));
    const balance = await call((cb) => z.client.balance(cb));
    return {
      sent: sent.data,
      found: found.data.data.message,
      code: code.data,
      template: template.data,
      balance: balance.data,
      stored: localStorage.getItem('zhenzisms:sms_number'),
    };
  }, { relay: server.url, number: h.NUMBER, codeNumber: '13900139000' });
  assert.deepStrictEqual(out.sent, { code: 0, data: '发送成功' });
  assert.strictEqual(out.found, '查找我。');
  assert.deepStrictEqual(out.code, { code: 0, data: '发送成功' });
  assert.deepStrictEqual(out.template, { code: 0, data: '发送成功' });
  assert.deepStrictEqual(out.balance, { code: 0, data: 997 });
  assert.strictEqual(JSON.parse(out.stored), '13900139000');
  assert.strictEqual(h.lastMessage(sb), '您的验证码为2580，3分钟内有效。【云短信体验】');

  const code = h.codeIn(h.lastMessage(sb, '13900139000'), '6');
  const answers = await inPage((z, a) => [z.client.validateCode(a.n, a.c), z.client.validateCode(a.n, a.c)], { n: '13900139000', c: code });
  assert.deepStrictEqual(answers, ['ok', 'code_used']);
  assert.deepStrictEqual(pageErrors, []);
});

test('Chromium: refused input sends nothing; a 502 and a hung relay reach res.data.code once', async () => {
  // Faults for the next two requests that reach the sandbox: the refused send is not one.
  sb.queueFault({ fault: 'http502' });
  sb.queueFault({ fault: 'hang' });
  const out = await inPage(async (z, a) => {
    z.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
    z.client.configure({ relayUrl: a.relay, timeoutMs: 300 });
    // The first result and how many calls came within 700 ms (past the timeout).
    const counted = (start) =>
      new Promise((resolve) => {
        let calls = 0;
        let first;
        start((r) => {
          calls++;
          first = first || r;
        });
        setTimeout(() => resolve({ code: first && first.data.code, kind: first && first.error && first.error.kind, calls }), 700);
      });
    return [
      await counted((cb) => z.client.send(cb, '1380013800', '你好。')),
      await counted((cb) => z.client.send(cb, a.number, '你好。')),
      await counted((cb) => z.client.balance(cb)),
    ];
  }, { relay: server.url, number: h.NUMBER });
  assert.deepStrictEqual(out, [
    { code: 100, kind: 'input', calls: 1 },
    { code: 9102, kind: 'http', calls: 1 },
    { code: 9101, kind: 'timeout', calls: 1 },
  ]);
  assert.deepStrictEqual(h.vendorRequests(sb).map((r) => [r.path, r.fault]), [
    ['/sms/send.html', 'http502'],
    ['/sms/balance.html', 'hang'],
  ]);
  assert.deepStrictEqual(pageErrors, []);
});

test('Chromium: E tap (init + createCode at once), success/fail/complete options, a callback-less rejection, input sent as written', async () => {
  const out = await inPage(async (z, relay) => {
    z.client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
    z.client.configure({ relayUrl: relay });
    const code = z.client.createCode(4, 60, '13800138000'); // the page loaded a moment ago
    const seen = [];
    const hooked = await z.client.send({
      number: '13800138000', templateId: '1001', templateParams: [code, '5'], clientIp: '10', messageId: 77,
      success: (res) => seen.push('success ' + res.data.code),
      fail: (res) => seen.push('fail ' + res.data.code),
      complete: () => seen.push('complete'),
    });
    const rejected = await z.client.send('12', 'x').then(() => null, (e) => ({ ok: e instanceof z.ZhenziError, code: e.code, message: e.message }));
    return { code, seen, sent: hooked.data.code, rejected, valid: z.client.validateCode('13800138000', code) };
  }, server.url);
  assert.match(out.code, /^\d{4}$/);
  assert.deepStrictEqual(out.seen, ['success 0', 'complete']);
  assert.strictEqual(out.sent, 0);
  assert.strictEqual(out.valid, 'ok');
  assert.strictEqual(out.rejected.ok, true);
  assert.strictEqual(out.rejected.code, 100);
  assert.match(out.rejected.message, /^参数格式错误 \/ /);
  const form = h.vendorRequests(sb).at(-1).form;
  assert.deepStrictEqual([form.clientIp, form.messageId, form.templateParams], ['10', '77', JSON.stringify([out.code, '5'])]);
  assert.deepStrictEqual(pageErrors, []);
});
