'use strict';
// wx.request against a real loopback HTTP server.

const test = require('node:test');
const assert = require('node:assert');
const http = require('http');
const { createMiniProgram } = require('./index.js');
const { makeRoot, removeRoot } = require('./fixtures.js');

const root = makeRoot({});
let server;
let base;
let refusedBase;
const held = []; // responses parked by /hold
let inHold = 0;
let maxInHold = 0;
const sockets = new Set();

test.before(async () => {
  server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://x');
      switch (url.pathname) {
        case '/echo':
          res.writeHead(200, { 'Content-Type': 'application/json', 'X-Custom-Case': 'Kept' });
          res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
          break;
        case '/text':
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end('not json {');
          break;
        case '/502':
          res.writeHead(502, { 'Content-Type': 'text/html' });
          res.end('<h1>Bad Gateway</h1>');
          break;
        case '/json502':
          res.writeHead(502, { 'Content-Type': 'application/json' });
          res.end('{"code":-1}');
          break;
        case '/cookie':
          res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2']);
          res.end('{}');
          break;
        case '/bin':
          res.end(Buffer.from([1, 2, 3, 250]));
          break;
        case '/reset':
          req.socket.destroy();
          break;
        case '/slow':
          break; // never answers
        case '/hold':
          inHold++;
          maxInHold = Math.max(maxInHold, inHold);
          held.push(res);
          break;
        default:
          res.writeHead(404);
          res.end('nope');
      }
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  // A port nobody listens on: bind, note, close.
  const tmp = http.createServer();
  await new Promise((r) => tmp.listen(0, '127.0.0.1', r));
  refusedBase = `http://127.0.0.1:${tmp.address().port}`;
  await new Promise((r) => tmp.close(r));
});

test.after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
  removeRoot(root);
});

function withMp(opts, fn) {
  return async () => {
    const mp = createMiniProgram(Object.assign({ root }, opts));
    try { await fn(mp); } finally { mp.dispose(); }
  };
}

// Run one wx.request in the context; resolve with what the callbacks saw.
async function call(mp, options) {
  mp.global.__opts = mp.realm.toContext(options);
  mp.run(`
    globalThis.__r = { success: [], fail: [], complete: [] };
    var o = __opts;
    o.success = function (res) { __r.success.push(res); };
    o.fail = function (res) { __r.fail.push(res); };
    o.complete = function (res) { __r.complete.push(res); };
    globalThis.__task = wx.request(o);
    __r.syncCalls = __r.success.length + __r.fail.length + __r.complete.length;
  `);
  await mp.pending();
  return mp.global.__r;
}

test('success with JSON: data parsed in the context realm, header case kept, complete once with the same object', withMp({}, async (mp) => {
  const r = await call(mp, { url: base + '/echo', method: 'POST', data: { a: 1 } });
  assert.strictEqual(r.syncCalls, 0, 'no callback runs synchronously');
  assert.strictEqual(r.success.length, 1);
  assert.strictEqual(r.fail.length, 0);
  assert.strictEqual(r.complete.length, 1);
  const res = r.success[0];
  assert.strictEqual(r.complete[0], res);
  assert.strictEqual(res.statusCode, 200);
  assert.strictEqual(res.errMsg, 'request:ok');
  assert.strictEqual(res.header['X-Custom-Case'], 'Kept');
  assert.deepStrictEqual([...res.cookies], []);
  assert.strictEqual(res.data.method, 'POST');
  assert.strictEqual(res.data.headers['content-type'], 'application/json');
  assert.strictEqual(res.data.body, '{"a":1}');
  assert.strictEqual(mp.run('__r.success[0].data instanceof Object && __r.success[0] instanceof Object'), true);
  assert.strictEqual(mp.run('typeof __task.abort'), 'function');
}));

test('dataType json with a non-JSON body: success, data stays a string', withMp({}, async (mp) => {
  const r = await call(mp, { url: base + '/text' });
  assert.strictEqual(r.success[0].data, 'not json {');
  assert.strictEqual(r.success[0].statusCode, 200);
}));

test('dataType other than json: the body is not parsed', withMp({}, async (mp) => {
  const r = await call(mp, { url: base + '/echo', dataType: 'text' });
  assert.strictEqual(typeof r.success[0].data, 'string');
}));

test('a 502 still calls success, with statusCode 502', withMp({}, async (mp) => {
  const r = await call(mp, { url: base + '/502' });
  assert.strictEqual(r.fail.length, 0);
  assert.strictEqual(r.success[0].statusCode, 502);
  assert.strictEqual(r.success[0].data, '<h1>Bad Gateway</h1>');
  const j = await call(mp, { url: base + '/json502' });
  assert.strictEqual(j.success[0].data.code, -1);
}));

test('connection reset: fail without a data property, complete once', withMp({}, async (mp) => {
  const r = await call(mp, { url: base + '/reset' });
  assert.strictEqual(r.success.length, 0);
  assert.strictEqual(r.fail.length, 1);
  assert.strictEqual(r.complete.length, 1);
  const err = r.fail[0];
  assert.match(err.errMsg, /^request:fail /);
  assert.strictEqual(typeof err.errno, 'number');
  assert.strictEqual('data' in err, false);
  assert.strictEqual('statusCode' in err, false);
  assert.strictEqual(r.complete[0], err);
}));

test('connection refused: fail', withMp({}, async (mp) => {
  const r = await call(mp, { url: refusedBase + '/x' });
  assert.strictEqual(r.fail.length, 1);
  assert.match(r.fail[0].errMsg, /^request:fail .*REFUSED/);
  assert.strictEqual('data' in r.fail[0], false);
}));

test('timeout: fail with "request:fail timeout"', withMp({}, async (mp) => {
  const t0 = Date.now();
  const r = await call(mp, { url: base + '/slow', timeout: 150 });
  assert.ok(Date.now() - t0 >= 140);
  assert.strictEqual(r.fail.length, 1);
  assert.strictEqual(r.fail[0].errMsg, 'request:fail timeout');
  assert.strictEqual('data' in r.fail[0], false);
  assert.strictEqual(r.complete.length, 1);
}));

test('form encoding of an object: Chinese, &, =, + are percent-encoded', withMp({}, async (mp) => {
  const r = await call(mp, {
    url: base + '/echo',
    method: 'POST',
    header: { 'Content-Type': 'application/x-www-form-urlencoded' },
    data: { name: '张三', q: 'a&b=c+d', n: 5 },
  });
  const echo = r.success[0].data;
  assert.strictEqual(echo.body, 'name=%E5%BC%A0%E4%B8%89&q=a%26b%3Dc%2Bd&n=5');
  assert.strictEqual(new URLSearchParams(echo.body).get('q'), 'a&b=c+d');
  assert.strictEqual(echo.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.strictEqual(mp.requests[0].data, 'name=%E5%BC%A0%E4%B8%89&q=a%26b%3Dc%2Bd&n=5');
}));

test('a lower-case content-type key counts too; a string is sent unchanged', withMp({}, async (mp) => {
  const r = await call(mp, {
    url: base + '/echo', method: 'POST',
    header: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    data: { a: 'x y' },
  });
  assert.strictEqual(r.success[0].data.body, 'a=x%20y');
  const s = await call(mp, { url: base + '/echo', method: 'POST', data: 'raw=1&b=+' });
  assert.strictEqual(s.success[0].data.body, 'raw=1&b=+');
  assert.strictEqual(s.success[0].data.headers['content-type'], 'application/json');
}));

test('GET puts object data in the query string', withMp({}, async (mp) => {
  const r = await call(mp, { url: base + '/echo?x=1', data: { q: '中 &', n: 2 } });
  assert.strictEqual(r.success[0].data.url, '/echo?x=1&q=%E4%B8%AD%20%26&n=2');
  assert.strictEqual(r.success[0].data.body, '');
}));

test('Referer is WeChat\'s and cannot be set; requests are logged', withMp({}, async (mp) => {
  const r = await call(mp, { url: base + '/echo', header: { Referer: 'https://evil.example/', 'X-A': 'b' } });
  const h = r.success[0].data.headers;
  assert.match(h.referer, /^https:\/\/servicewechat\.com\/wxsimulator\//);
  assert.strictEqual(h['x-a'], 'b');
  assert.strictEqual(mp.requests.length, 1);
  assert.strictEqual(mp.requests[0].method, 'GET');
  assert.strictEqual(mp.requests[0].url, base + '/echo');
  assert.strictEqual(mp.requests[0].header['X-A'], 'b');
}));

test('Set-Cookie headers become cookies', withMp({}, async (mp) => {
  const r = await call(mp, { url: base + '/cookie' });
  assert.deepStrictEqual([...r.success[0].cookies], ['a=1; Path=/', 'b=2']);
}));

test('responseType arraybuffer gives an ArrayBuffer of the context', withMp({}, async (mp) => {
  await call(mp, { url: base + '/bin', responseType: 'arraybuffer' });
  assert.strictEqual(mp.run('__r.success[0].data instanceof ArrayBuffer'), true);
  assert.deepStrictEqual(mp.run('Array.prototype.slice.call(new Uint8Array(__r.success[0].data))'), mp.run('[1, 2, 3, 250]'));
}));

test('at most 10 requests in flight; the rest queue and then complete', withMp({}, async (mp) => {
  inHold = 0;
  maxInHold = 0;
  mp.run(`
    globalThis.done = 0;
    for (var i = 0; i < 15; i++) wx.request({ url: '${base}/hold?i=' + i, complete: function () { done++; } });
  `);
  const until = async (cond) => { for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5)); };
  await until(() => inHold >= 10);
  await new Promise((r) => setTimeout(r, 50)); // give an 11th the chance to (wrongly) arrive
  assert.strictEqual(inHold, 10);
  // Release one at a time; the queue refills to 10 but never beyond.
  while (held.length) {
    inHold--;
    held.shift().end('{}');
    await new Promise((r) => setTimeout(r, 10));
  }
  await until(() => held.length === 0 && mp.global.done === 15);
  while (held.length) { inHold--; held.shift().end('{}'); }
  await mp.pending();
  assert.strictEqual(mp.global.done, 15);
  assert.strictEqual(maxInHold, 10);
}));

test('abort(): fail with "request:fail abort"', withMp({}, async (mp) => {
  mp.run(`globalThis.ab = []; var t = wx.request({ url: '${base}/slow', fail: function (e) { ab.push(e.errMsg); },
    complete: function () { ab.push('complete'); } }); t.abort(); t.abort();`);
  await mp.pending();
  assert.deepStrictEqual([...mp.global.ab], ['request:fail abort', 'complete']);
}));

test('domain list: only listed origins; others fail with errno 600002', async () => {
  const mp = createMiniProgram({ root, requestDomains: [base] });
  try {
    const ok = await call(mp, { url: base + '/echo' });
    assert.strictEqual(ok.success.length, 1);
    const bad = await call(mp, { url: refusedBase + '/echo' });
    assert.strictEqual(bad.fail[0].errMsg, 'request:fail url not in domain list');
    assert.strictEqual(bad.fail[0].errno, 600002);
    assert.strictEqual(mp.requests.length, 1, 'a refused URL is not sent');
  } finally {
    mp.dispose();
  }
});

test('plain http only to loopback, even without a domain list; bad URLs fail', withMp({}, async (mp) => {
  const r = await call(mp, { url: 'http://example.com/x' });
  assert.strictEqual(r.fail[0].errno, 600002);
  const bad = await call(mp, { url: 'ftp://127.0.0.1/x' });
  assert.match(bad.fail[0].errMsg, /^request:fail invalid url/);
  const none = await call(mp, {});
  assert.match(none.fail[0].errMsg, /^request:fail /);
}));

test('a throwing success callback is recorded; complete still runs', withMp({}, async (mp) => {
  mp.run(`wx.request({ url: '${base}/echo', success: function () { throw new Error('in success'); },
    complete: function () { globalThis.c = true; } });`);
  await mp.pending();
  assert.strictEqual(mp.errors[0].message, 'in success');
  assert.strictEqual(mp.global.c, true);
}));

test('dispose aborts in-flight requests so the process can exit', async () => {
  const mp = createMiniProgram({ root });
  mp.run(`wx.request({ url: '${base}/slow', fail: function () { globalThis.failed = true; } })`);
  await new Promise((r) => setTimeout(r, 30));
  mp.dispose();
  await mp.pending();
  await new Promise((r) => setTimeout(r, 10));
  assert.strictEqual(mp.global.failed, undefined, 'no callbacks after dispose');
});
