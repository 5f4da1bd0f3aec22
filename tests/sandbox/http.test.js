'use strict';
// HTTP framing: bad requests, charsets, HTTP/1.0, keep-alive flood, the CLI.

const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { APP, FORM, encodeForm, postForm, request, rawExchange, closeWithin, withSandbox, startSandbox } = require('./helpers.js');

const NUMBER = '13800138000';
const SERVER = path.join(__dirname, '../../sandbox/server.js');

describe('bad requests', () => {
  let sb;
  before(async () => {
    sb = await startSandbox();
  });
  after(() => closeWithin(sb));
  beforeEach(() => sb.reset());

  const assertBad = (r, status) => {
    assert.equal(r.status, status);
    assert.equal(r.headers['content-type'], 'application/json;charset=UTF-8');
    assert.equal(r.json.code, -1);
    assert.equal(typeof r.json.data, 'string');
  };

  it('unknown path -> 404', async () => {
    assertBad(await postForm(sb.url, '/sms/nothing.do', APP), 404);
    assertBad(await request(sb.url, '/', { method: 'GET' }), 404);
  });

  it('wrong method -> 405 with Allow: POST', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const r = await request(sb.url, '/account/balance.do', { method });
      assertBad(r, 405);
      assert.equal(r.headers.allow, 'POST');
    }
  });

  it('wrong content-type -> 415', async () => {
    const body = encodeForm(APP);
    for (const ct of [undefined, 'application/json', 'text/plain', 'multipart/form-data; boundary=x', `${FORM.split(';')[0]};charset=GBK`]) {
      const headers = ct === undefined ? {} : { 'Content-Type': ct };
      assertBad(await request(sb.url, '/account/balance.do', { method: 'POST', body, headers }), 415);
    }
  });

  it('body over 64 KB -> 413, and the keep-alive connection still works', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = encodeForm({ ...APP, number: NUMBER, message: 'x'.repeat(64 * 1024) });
      assertBad(await postForm(sb.url, '/sms/send.do', big, { agent }), 413);
      // exactly 64 KB is fine (padding in an ignored field)
      const base = encodeForm(APP) + '&pad=';
      const exact = base + 'p'.repeat(64 * 1024 - base.length);
      assert.equal(Buffer.byteLength(exact), 64 * 1024);
      assert.equal((await postForm(sb.url, '/account/balance.do', exact, { agent })).json.code, 0);
      assert.equal((await postForm(sb.url, '/account/balance.do', APP, { agent })).json.code, 0);
      assert.deepEqual(sb.inbox(NUMBER), []);
    } finally {
      agent.destroy();
    }
  });

  it('a huge body (5 MB) is refused without buffering it, and the server lives on', async () => {
    const r = await postForm(sb.url, '/sms/send.do', 'a=' + 'x'.repeat(5 * 1024 * 1024));
    if (!r.error) assertBad(r, 413); // the client may instead see the socket close while still writing
    assert.equal((await postForm(sb.url, '/account/balance.do', APP)).json.code, 0);
  });

  for (const [name, body] of [
    ['%zz', `${encodeForm(APP)}&message=%zz`],
    ['a lone %', `${encodeForm(APP)}&message=abc%`],
    ['%FF (not UTF-8)', `${encodeForm(APP)}&message=%FF`],
    ['a truncated UTF-8 sequence', `${encodeForm(APP)}&message=%E4%BD`],
    ['an encoded surrogate', `${encodeForm(APP)}&message=%ED%A0%80`],
  ]) {
    it(`broken urlencoding: ${name} -> 400`, async () => {
      assertBad(await postForm(sb.url, '/account/balance.do', body), 400);
    });
  }

  it('raw invalid UTF-8 bytes in the body -> 400', async () => {
    const body = Buffer.concat([Buffer.from(`${encodeForm(APP)}&message=`), Buffer.from([0xc3, 0x28])]);
    assertBad(await request(sb.url, '/account/balance.do', { method: 'POST', body, headers: { 'Content-Type': FORM } }), 400);
  });

  it('malformed HTTP -> 400 JSON, server keeps serving', async () => {
    const reply = await rawExchange(sb.port, 'THIS IS NOT HTTP\r\n\r\n');
    assert.match(reply, /^HTTP\/1\.1 400/);
    assert.match(reply, /"code":-1/);
    assert.equal((await postForm(sb.url, '/account/balance.do', APP)).json.code, 0);
  });

  it('bad requests are logged with their status', async () => {
    await request(sb.url, '/account/balance.do', { method: 'GET' });
    await postForm(sb.url, '/nope', APP);
    assert.deepEqual(sb.requests.map((e) => [e.path, e.status, e.code]), [
      ['/account/balance.do', 405, -1],
      ['/nope', 404, -1],
    ]);
  });
});

describe('encodings and HTTP versions', () => {
  let sb;
  before(async () => {
    sb = await startSandbox();
  });
  after(() => closeWithin(sb));
  beforeEach(() => sb.reset());

  it('content-type with and without a UTF-8 charset, any case, quoted', async () => {
    for (const ct of [
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded;charset=UTF-8',
      'application/x-www-form-urlencoded; charset=utf-8',
      'Application/X-WWW-Form-Urlencoded; Charset="UTF-8"',
      'application/x-www-form-urlencoded;charset=utf8',
    ]) {
      const r = await request(sb.url, '/sms/send.do', {
        method: 'POST',
        body: encodeForm({ ...APP, number: NUMBER, message: `中文 ${ct}` }),
        headers: { 'Content-Type': ct },
      });
      assert.equal(r.json.code, 0, ct);
      assert.equal(sb.inbox(NUMBER).at(-1).message, `中文 ${ct}`);
    }
  });

  it('"+" is a space, %2B a plus, raw UTF-8 is accepted', async () => {
    await postForm(sb.url, '/sms/send.do', `${encodeForm(APP)}&number=${NUMBER}&message=a+b`);
    assert.equal(sb.inbox(NUMBER).at(-1).message, 'a b');
    await postForm(sb.url, '/sms/send.do', `${encodeForm(APP)}&number=${NUMBER}&message=a+b%2Bc`);
    assert.equal(sb.inbox(NUMBER).at(-1).message, 'a b+c');
    await postForm(sb.url, '/sms/send.do', `${encodeForm(APP)}&number=${NUMBER}&message=原始字节`);
    assert.equal(sb.inbox(NUMBER).at(-1).message, '原始字节');
  });

  it('a repeated field: the first occurrence wins', async () => {
    await postForm(sb.url, '/sms/send.do', `${encodeForm(APP)}&number=${NUMBER}&message=first&message=second`);
    assert.equal(sb.inbox(NUMBER).at(-1).message, 'first');
  });

  it('HTTP/1.0 request over a raw socket: answered, then the server closes', async () => {
    const body = encodeForm({ ...APP, number: NUMBER, message: 'via 1.0' });
    const reply = await rawExchange(
      sb.port,
      `POST /sms/send.do HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: ${FORM}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    assert.match(reply, /^HTTP\/1\.[01] 200 OK\r\n/);
    const [head, payload] = reply.split('\r\n\r\n');
    assert.match(head, /content-type: application\/json;charset=UTF-8/i);
    assert.deepEqual(JSON.parse(payload), { code: 0, data: '发送成功' });
    assert.equal(sb.inbox(NUMBER)[0].message, 'via 1.0');
    assert.equal(sb.requests[0].httpVersion, '1.0');
  });

  it('HTTP/1.1 keep-alive: several requests on one socket', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let connections = 0;
    const count = () => connections++;
    sb.server.on('connection', count);
    try {
      for (let i = 0; i < 5; i++) assert.equal((await postForm(sb.url, '/account/balance.do', APP, { agent })).json.code, 0);
      assert.equal(connections, 1);
    } finally {
      sb.server.off('connection', count);
      agent.destroy();
    }
  });

  it('close() destroys idle keep-alive sockets (no hanging)', async () => {
    const own = await startSandbox();
    const agent = new http.Agent({ keepAlive: true });
    try {
      assert.equal((await postForm(own.url, '/account/balance.do', APP, { agent })).json.code, 0);
      assert.equal(Object.values(agent.freeSockets).flat().length, 1, 'an idle keep-alive socket is open');
      await closeWithin(own, 1000);
    } finally {
      agent.destroy();
      await closeWithin(own);
    }
  });
});

describe('garbage input', () => {
  // Small seeded PRNG so a failure is reproducible.
  function mulberry32(seed) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const PIECES = ['%', '%2', '%zz', '%E4%BD%A0', '%FF', '+', '&', '=', '==', 'appId', 'appSecret', '10001',
    'sandbox-secret-10001', 'number', '13800138000', 'message', 'templateId', '1001', 'templateParams',
    '%5B%22', 'apiUrl', '__proto__', 'constructor', '你', '😀', '\u0000', '[', '"', 'messageId'];

  it('300 random bodies: always a JSON answer (200 or 400), never a crash or 500', async () => {
    await withSandbox({}, async (sb) => {
      const rand = mulberry32(20240601);
      const paths = Object.keys(require('../../sandbox/server.js').VENDOR_ROUTES);
      for (let i = 0; i < 300; i++) {
        let body = '';
        const n = 1 + Math.floor(rand() * 12);
        for (let k = 0; k < n; k++) body += PIECES[Math.floor(rand() * PIECES.length)];
        const bytes = rand() < 0.1 ? Buffer.concat([Buffer.from(body), Buffer.from([0x80 + Math.floor(rand() * 0x7f)])]) : body;
        const r = await request(sb.url, paths[i % paths.length], { method: 'POST', body: bytes, headers: { 'Content-Type': FORM } });
        assert.ok(r.status === 200 || r.status === 400, `status ${r.status} for ${JSON.stringify(body)}`);
        assert.ok(r.json && Number.isInteger(r.json.code), `non-JSON answer for ${JSON.stringify(body)}`);
      }
      assert.equal(sb.requests.length, 300);
    });
  });
});

describe('flood', () => {
  it('1000 sends over 16 keep-alive connections, all answered, balance -1000 exactly', async () => {
    const fixture = { apps: [{ appId: 'flood', appSecret: 's', appName: 'flood', balance: 1000000 }] };
    await withSandbox({ fixture }, async (sb) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
      let connections = 0;
      sb.server.on('connection', () => connections++);
      try {
        const jobs = [];
        for (let i = 0; i < 1000; i++) {
          const number = `1390000${String(i % 100).padStart(4, '0')}`;
          jobs.push(postForm(sb.url, '/sms/send.do', { appId: 'flood', appSecret: 's', number, message: `m${i}`, messageId: `id${i}` }, { agent }));
        }
        const replies = await Promise.all(jobs);
        assert.equal(replies.filter((r) => r.json && r.json.code === 0 && r.json.data === '发送成功').length, 1000);
        const bal = await postForm(sb.url, '/account/balance.do', { appId: 'flood', appSecret: 's' }, { agent });
        assert.deepEqual(bal.json, { code: 0, data: 999000 });
        assert.ok(connections <= 16, `${connections} connections`);
        assert.equal(sb.requests.length, 1001);
        let delivered = 0;
        for (let i = 0; i < 100; i++) delivered += sb.inbox(`1390000${String(i).padStart(4, '0')}`).length;
        assert.equal(delivered, 1000);
      } finally {
        agent.destroy();
      }
    });
  });
});

describe('CLI', () => {
  // Starts the CLI; resolves {child, url, firstLine} once the URL line is printed.
  function startCli(args) {
    const child = spawn(process.execPath, [SERVER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err })));
    const ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL line; stderr: ${err}`)), 5000);
      child.stdout.on('data', () => {
        if (out.includes('\n')) {
          clearTimeout(timer);
          resolve({ firstLine: out.split('\n')[0] });
        }
      });
      child.on('exit', () => {
        clearTimeout(timer);
        reject(new Error(`exited early; stderr: ${err}`));
      });
    });
    return { child, ready, exited };
  }

  it('prints exactly one URL line, serves the given fixture, exits 0 on SIGTERM and SIGINT', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzi-sandbox-'));
    const fixturePath = path.join(dir, 'f.json');
    fs.writeFileSync(fixturePath, JSON.stringify({ apps: [{ appId: 'cli', appSecret: 's', balance: 7 }] }));
    try {
      for (const signal of ['SIGTERM', 'SIGINT']) {
        const t0 = Date.now();
        const cli = startCli(['--port', '0', '--fixture', fixturePath]);
        const { firstLine } = await cli.ready;
        assert.ok(Date.now() - t0 < 3000);
        const m = /^ZHENZI_SANDBOX_URL=(http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine);
        assert.ok(m, firstLine);
        const r = await postForm(m[1], '/account/balance.do', { appId: 'cli', appSecret: 's' });
        assert.deepEqual(r.json, { code: 0, data: 7 });
        cli.child.kill(signal);
        const end = await cli.exited;
        assert.equal(end.code, 0, `${signal}: ${end.err}`);
        assert.equal(end.out, `${firstLine}\n`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses the default fixture without --fixture', async () => {
    const cli = startCli(['--port', '0']);
    try {
      const { firstLine } = await cli.ready;
      const url = firstLine.split('=')[1];
      assert.deepEqual((await postForm(url, '/account/balance.do', APP)).json, { code: 0, data: 1000 });
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });

  it('a bad fixture or argument exits non-zero with a message on stderr', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhenzi-sandbox-'));
    try {
      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, '{"apps": [{"appId": 1}]}');
      for (const args of [['--fixture', bad], ['--port', 'x'], ['--what']]) {
        const cli = startCli(args);
        cli.ready.catch(() => {});
        const end = await cli.exited;
        assert.notEqual(end.code, 0, args.join(' '));
        assert.equal(end.out, '');
        assert.match(end.err, /zhenzi-sandbox: /);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
