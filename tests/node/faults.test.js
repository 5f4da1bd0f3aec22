// Transport faults through the Node platform: each becomes its own SDK code, slow chunked
// bodies are read whole, and TLS certificates are verified.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const https = require('https');
const { execFileSync } = require('child_process');
const { sdk, NUMBER, useSandbox, clientFor, closedPort, rejection, manualClock, sdkOnClock } = require('./helpers.js');

let sb;
useSandbox((s) => (sb = s));

// On the clock the platform is given: the timeout fires when that clock passes timeoutMs (not
// a moment before), whatever the wall clock does meanwhile.
test('hang: no reply within timeoutMs → 9101 exactly when the clock passes timeoutMs', async () => {
  sb.queueFault({ fault: 'hang', count: 1 });
  const clock = manualClock();
  const local = sdkOnClock(clock);
  const client = new local.ZhenziClient({ route: 'direct', apiUrl: sb.url, appId: '10001', appSecret: 'sandbox-secret-10001', timeoutMs: 300 });
  let settled = null;
  client.send({ number: NUMBER, message: 'x' }).then((v) => (settled = { v }), (e) => (settled = { e }));
  while (sb.requests.length === 0) await new Promise((r) => setTimeout(r, 5)); // it reached the server
  clock.advance(299);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(settled, null, 'answered before its timeout');
  clock.advance(1);
  while (!settled) await new Promise((r) => setTimeout(r, 5));
  const e = settled.e;
  assert.equal(e.code, 9101);
  assert.equal(e.kind, 'timeout');
  assert.equal(e.retriable, true);
  assert.equal(e.detail, 'no reply after 300 ms');
  assert.equal(sb.requests.length, 1, 'a send that reached the server is not repeated');
  assert.equal(clock.pending(), 0, 'a timer was left behind');
});

// The retry plan's waits run on the same clock: a balance that fails on the network is tried
// again only when the clock passes each wait (200, then 400 ms).
test('retry waits are on the platform clock', async () => {
  const clock = manualClock();
  const local = sdkOnClock(clock);
  const client = new local.ZhenziClient({ route: 'direct', apiUrl: 'http://127.0.0.1:' + (await closedPort()), appId: '10001', appSecret: 'sandbox-secret-10001', retries: 2 });
  let settled = null;
  client.balance().then((v) => (settled = { v }), (e) => (settled = { e }));
  const waitFor = async (n) => {
    while (clock.pending() < n && !settled) await new Promise((r) => setTimeout(r, 5));
  };
  // Each try fails at once (refused); its 10 s timeout timer is cleared, the wait is the one left.
  await waitFor(1);
  clock.advance(199);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(settled, null);
  clock.advance(1); // the second try
  await waitFor(1);
  clock.advance(400); // the third
  while (!settled) await new Promise((r) => setTimeout(r, 5));
  assert.equal(settled.e.code, 9100);
});

test('hang on balance with retries 0: one request, 9101', async () => {
  sb.queueFault({ fault: 'hang', count: 1 });
  const e = await rejection(clientFor(sb, '10001', { timeoutMs: 300, retries: 0 }).balance());
  assert.equal(e.code, 9101);
  assert.equal(sb.requests.length, 1);
});

test('502 with an HTML page → 9102, the status in detail', async () => {
  sb.queueFault({ fault: 'http502', count: 1 });
  const e = await rejection(clientFor(sb).send({ number: NUMBER, message: 'x' }));
  assert.equal(e.code, 9102);
  assert.equal(e.kind, 'http');
  assert.match(e.detail, /502/);
  assert.equal(sb.requests[0].status, 502);
});

test('reset mid-reply → 9100', async () => {
  sb.queueFault({ fault: 'reset', count: 1 });
  const e = await rejection(clientFor(sb).send({ number: NUMBER, message: 'x' }));
  assert.equal(e.code, 9100);
  assert.equal(e.kind, 'network');
  assert.equal(sb.requests.length, 1);
});

test('an HTML page with status 200 → 9103', async () => {
  sb.queueFault({ fault: 'nonjson', count: 1 });
  const e = await rejection(clientFor(sb).send({ number: NUMBER, message: 'x' }));
  assert.equal(e.code, 9103);
  assert.equal(e.kind, 'reply');
});

test('an empty body → 9103', async () => {
  sb.queueFault({ fault: 'empty', count: 1 });
  const e = await rejection(clientFor(sb, '10001', { retries: 0 }).balance());
  assert.equal(e.code, 9103);
  assert.equal(sb.requests.length, 1);
});

test('connection refused → 9100', async () => {
  const port = await closedPort();
  const sms = new sdk.ZhenziClient({ route: 'direct', apiUrl: 'http://127.0.0.1:' + port, appId: '10001', appSecret: 's', retries: 0 });
  const e = await rejection(sms.balance());
  assert.equal(e.code, 9100);
  assert.match(e.detail, /ECONNREFUSED/);
});

test('a slow reply in 20 chunks (split inside UTF-8 characters) is read whole', async () => {
  const sms = clientFor(sb);
  const text = '分块回复的中文内容：验证码 123456，五分钟内有效';
  await sms.send({ number: NUMBER, message: text }, { messageId: 'chunky' });
  sb.queueFault({ fault: 'chunked=20', path: '/smslog/findSmsByMessageId.do', count: 1 });
  const record = await sms.findSmsByMessageId('chunky');
  assert.equal(record.message, text);
  assert.equal(record.appName, '云短信体验');
  sb.queueFault({ fault: 'chunked=20', path: '/sms/send.do', count: 1 });
  assert.equal(await sms.send({ number: NUMBER, message: 'again' }), '发送成功');
  const chunked = sb.requests.filter((r) => r.fault === 'chunked=20');
  assert.equal(chunked.length, 2, 'both replies really were chunked');
});

test('a delayed reply inside timeoutMs is fine', async () => {
  sb.queueFault({ fault: 'delay=150', count: 1 });
  assert.equal(await clientFor(sb, '10001', { timeoutMs: 2000 }).balance(), 1000);
});

test('a reply over 1 MB is cut off and reported as an unreadable reply (9103), like the core does', async () => {
  const http = require('http');
  let served = 0;
  const srv = http.createServer((req, res) => {
    served++;
    req.resume();
    res.end('{"code":0,"data":"' + 'x'.repeat(2 << 20) + '"}');
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const sms = new sdk.ZhenziClient({ route: 'direct', apiUrl: 'http://127.0.0.1:' + srv.address().port, appId: '1', appSecret: 's', retries: 0 });
    const e = await rejection(sms.send({ number: NUMBER, message: 'x' }));
    assert.equal(e.code, 9103);
    assert.equal(e.kind, 'reply');
    assert.match(e.detail, /1048576/);
    assert.equal(served, 1);
  } finally {
    srv.closeAllConnections();
    await new Promise((r) => srv.close(r));
  }
});

// A local https server with a freshly made self-signed certificate.
function selfSignedServer(dir) {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  const cert = fs.readFileSync(path.join(dir, 'cert.pem'));
  const seen = [];
  const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
    seen.push(req.url);
    req.resume();
    req.on('end', () => res.end('{"code":0,"data":537}'));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, cert, seen, port: server.address().port })));
}

test('TLS: a self-signed certificate is refused (9100), so verification is on', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzisms-tls-'));
  const tls = await selfSignedServer(dir);
  try {
    // The server works for a client that trusts its certificate…
    const body = await new Promise((resolve, reject) => {
      const r = https.request({ host: '127.0.0.1', port: tls.port, path: '/account/balance.do', method: 'POST', ca: tls.cert, agent: false }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      });
      r.on('error', reject);
      r.end();
    });
    assert.equal(body, '{"code":0,"data":537}');
    assert.equal(tls.seen.length, 1);
    // …and the SDK, which trusts only the system CAs, refuses it before sending anything.
    const sms = new sdk.ZhenziClient({ route: 'direct', apiUrl: 'https://127.0.0.1:' + tls.port, appId: '10001', appSecret: 's', retries: 0 });
    const e = await rejection(sms.balance());
    assert.equal(e.code, 9100);
    assert.match(e.detail, /SELF_SIGNED|CERT|certificate/i);
    assert.equal(tls.seen.length, 1, 'no request reached the server through the SDK');
  } finally {
    tls.server.closeAllConnections();
    await new Promise((r) => tls.server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// A request Node's http refuses before sending (a header it rejects throws ERR_INVALID_CHAR
// synchronously) is a typed 9100 that says nothing was sent, not an exception whose string code
// the SDK once read as code 0 (未知错误, and vendor {code: 0}: a success).
test('a request http refuses before sending → 9100 unsent, never code 0', async () => {
  const platform = require(path.join(__dirname, '../../dist/npm/zhenzisms_node.js'));
  const failure = await platform.request({ url: sb.url + '/sms/send.do', method: 'POST', header: { 'X-Bad': 'a\u4e2d' }, body: 'x=1', timeoutMs: 1000 }).then(() => null, (f) => f);
  assert.deepEqual({ code: failure.code, sent: failure.sent }, { code: 9100, sent: false });
  assert.match(failure.detail, /ERR_INVALID_CHAR/);
  assert.equal(sb.requests.length, 0);
});
