'use strict';
// Fault injection: header, queue (POST /__faults), fixture; every fault kind.

const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const { APP, postForm, request, closeWithin, withSandbox, startSandbox } = require('./helpers.js');

const NUMBER = '13800138000';
const SEND = { ...APP, number: NUMBER, message: 'fault test' };

describe('faults', () => {
  let sb;
  before(async () => {
    sb = await startSandbox();
  });
  after(() => closeWithin(sb));
  beforeEach(() => sb.reset());

  const withFault = (fault, fields = SEND, path = '/sms/send.do') =>
    postForm(sb.url, path, fields, { headers: { 'X-Sandbox-Fault': fault } });
  const balance = async () => (await postForm(sb.url, '/account/balance.do', APP)).json.data;
  const queue = (obj) =>
    request(sb.url, '/__faults', { method: 'POST', body: JSON.stringify(obj), headers: { 'Content-Type': 'application/json' } });

  it('http502: nginx HTML page, nothing processed', async () => {
    const r = await withFault('http502');
    assert.equal(r.status, 502);
    assert.match(r.headers['content-type'], /^text\/html/);
    assert.match(r.body, /<title>502 Bad Gateway<\/title>/);
    assert.match(r.body, /nginx/);
    assert.deepEqual(sb.inbox(NUMBER), []);
    assert.equal(await balance(), 1000);
  });

  it('nonjson: HTTP 200 whose body does not parse as JSON', async () => {
    const r = await withFault('nonjson');
    assert.equal(r.status, 200);
    assert.ok(r.body.length > 0);
    assert.throws(() => JSON.parse(r.body));
    assert.deepEqual(sb.inbox(NUMBER), []);
  });

  it('empty: HTTP 200 with an empty body', async () => {
    const r = await withFault('empty');
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.equal(r.headers['content-length'], '0');
  });

  it('code1000: the vendor system error', async () => {
    const r = await withFault('code1000');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { code: 1000, data: '系统位置错误' });
    assert.equal(await balance(), 1000);
  });

  it('reset: headers and part of the body, then the socket dies (http client sees an error)', async () => {
    const r = await withFault('reset');
    assert.ok(r.error, 'expected a socket error');
    assert.equal(r.status, 200);
    assert.ok(r.partial.length > 0, 'some of the body arrived first');
    assert.equal(await balance(), 1000);
  });

  it('reset: fetch() rejects while reading the body', async () => {
    const res = await fetch(`${sb.url}/sms/send.do`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Sandbox-Fault': 'reset' },
      body: new URLSearchParams(SEND).toString(),
    });
    await assert.rejects(res.text());
  });

  it('delay=<ms>: measurably late, then a normal (processed) answer', async () => {
    const t0 = Date.now();
    const fast = await withFault('', SEND);
    const tFast = Date.now() - t0;
    const t1 = Date.now();
    const slow = await withFault('delay=400');
    const tSlow = Date.now() - t1;
    assert.deepEqual(fast.json, { code: 0, data: '发送成功' });
    assert.deepEqual(slow.json, { code: 0, data: '发送成功' });
    assert.ok(tSlow >= 390, `delayed reply took ${tSlow} ms`);
    assert.ok(tSlow - tFast >= 300, `fast ${tFast} ms vs slow ${tSlow} ms`);
    assert.equal(sb.inbox(NUMBER).length, 2);
    assert.equal(sb.requests[1].fault, 'delay=400');
  });

  it('chunked=<n>: the complete JSON in several pieces; the first alone is not JSON', async () => {
    const r = await withFault('chunked=6', APP, '/account/balance.do');
    assert.equal(r.headers['transfer-encoding'], 'chunked');
    assert.deepEqual(r.json, { code: 0, data: 1000 });
    assert.ok(r.chunks.length >= 2, `got ${r.chunks.length} chunk(s)`);
    assert.throws(() => JSON.parse(r.chunks[0].toString('utf8')));
  });

  it('chunked send is processed (message delivered once)', async () => {
    const r = await withFault('chunked=3');
    assert.deepEqual(r.json, { code: 0, data: '发送成功' });
    assert.equal(sb.inbox(NUMBER).length, 1);
  });

  it('hang: no answer; close() still finishes quickly and the client sees the socket close', async () => {
    const own = await startSandbox();
    let closed = false;
    try {
      const pending = postForm(own.url, '/sms/send.do', SEND, { headers: { 'X-Sandbox-Fault': 'hang' } });
      const early = await Promise.race([pending, new Promise((r) => setTimeout(() => r('no answer'), 300))]);
      assert.equal(early, 'no answer');
      assert.equal(own.requests[0].fault, 'hang');
      closed = true;
      await closeWithin(own, 1000); // close() does not wait for the hung request
      const r = await pending;
      assert.ok(r.error, 'the client saw the connection drop');
      assert.deepEqual(own.inbox(NUMBER), []);
    } finally {
      if (!closed) await closeWithin(own);
    }
  });

  it('an unknown fault header -> 400 and nothing processed', async () => {
    const r = await withFault('explode');
    assert.equal(r.status, 400);
    assert.equal(r.json.code, -1);
    assert.match(r.json.data, /unknown fault/);
    assert.equal((await withFault('delay=abc')).status, 400);
    assert.equal((await withFault('chunked=0')).status, 400);
    assert.deepEqual(sb.inbox(NUMBER), []);
  });

  it('POST /__faults queues a fault for the next <count> requests to one path', async () => {
    const q = await queue({ fault: 'http502', path: '/sms/send.html', count: 2 });
    assert.equal(q.status, 200);
    assert.deepEqual(q.json.data, { fault: 'http502', path: '/sms/send.html', count: 2 });
    const relay = { ...SEND, apiUrl: 'https://sms.zhenzikj.com' };
    // Another path is not affected and does not consume the queue.
    assert.equal((await postForm(sb.url, '/account/balance.do', APP)).status, 200);
    assert.equal((await postForm(sb.url, '/sms/send.html', relay)).status, 502);
    assert.equal((await postForm(sb.url, '/sms/send.html', relay)).status, 502);
    assert.deepEqual((await postForm(sb.url, '/sms/send.html', relay)).json, { code: 0, data: '发送成功' });
    assert.deepEqual(sb.requests.map((e) => e.fault), [null, 'http502', 'http502', null]);
    assert.equal(sb.requests[1].status, 502);
  });

  it('a queued fault without a path hits the next request to any vendor path; header wins over queue', async () => {
    await queue({ fault: 'code1000' });
    assert.equal((await withFault('empty', APP, '/account/balance.do')).body, '');
    assert.deepEqual((await postForm(sb.url, '/account/balance.do', APP)).json, { code: 1000, data: '系统位置错误' });
    assert.deepEqual((await postForm(sb.url, '/account/balance.do', APP)).json, { code: 0, data: 1000 });
  });

  it('GET /__faults lists the queue; bad queue requests -> 400', async () => {
    await queue({ fault: 'delay=10', count: 3 });
    assert.deepEqual((await request(sb.url, '/__faults', { method: 'GET' })).json, [{ fault: 'delay=10', path: null, count: 3 }]);
    for (const bad of [{ fault: 'boom' }, { fault: 'http502', count: 0 }, { fault: 'http502', path: 'relative' }, []]) {
      const r = await queue(bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.equal(r.json.code, -1);
    }
    assert.equal((await request(sb.url, '/__faults', { method: 'POST', body: '{not json' })).status, 400);
  });

  it('sb.queueFault is the module form of POST /__faults', async () => {
    sb.queueFault({ fault: 'nonjson', path: '/account/balance.do' });
    const r = await postForm(sb.url, '/account/balance.do', APP);
    assert.throws(() => JSON.parse(r.body));
    assert.throws(() => sb.queueFault({ fault: 'nope' }), /unknown fault/);
  });
});

describe('fixture faults', () => {
  it('are queued at start and again after reset', async () => {
    const fixture = { faults: [{ fault: 'http502', path: '/account/balance.do', count: 1 }] };
    await withSandbox({ fixture }, async (sb) => {
      const status = async () => (await postForm(sb.url, '/account/balance.do', APP)).status;
      assert.equal(await status(), 502);
      assert.equal(await status(), 200);
      await request(sb.url, '/__reset', { method: 'POST' });
      assert.equal(await status(), 502);
      assert.equal(await status(), 200);
    });
  });
});
