'use strict';
// wx.request with real HTTP (Node http/https), shaped like WeChat's:
// - data: a string is sent unchanged; ArrayBuffer / typed array as bytes; an
//   object is form-encoded when the content-type header (any key case) is
//   application/x-www-form-urlencoded, else JSON.stringify'd; default
//   content-type application/json; for GET/HEAD object data goes into the
//   query string.
// - success for every HTTP status: {data, statusCode, header, cookies, errMsg}
//   with data JSON-parsed when dataType is 'json' and the body parses.
// - fail: {errMsg: 'request:fail <reason>', errno} and NO data.
// - at most 10 requests in flight; more wait in a queue.
// - domain rules: options.requestDomains (origins) when given, else any
//   https URL ("skip domain check"); plain http only to loopback.
// errno values other than 600002 are [I]: 600001 network error, 5 timeout,
// 600003 aborted, 600009 invalid URL.

const http = require('http');
const https = require('https');
const { URL } = require('url');

const MAX_IN_FLIGHT = 10;
const METHODS = new Set(['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT']);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const NET_ERRORS = {
  ECONNREFUSED: 'net::ERR_CONNECTION_REFUSED',
  ECONNRESET: 'net::ERR_CONNECTION_RESET',
  EPIPE: 'net::ERR_CONNECTION_RESET',
  ENOTFOUND: 'net::ERR_NAME_NOT_RESOLVED',
  EAI_AGAIN: 'net::ERR_NAME_NOT_RESOLVED',
  ETIMEDOUT: 'net::ERR_CONNECTION_TIMED_OUT',
  EHOSTUNREACH: 'net::ERR_ADDRESS_UNREACHABLE',
};

const isBytes = (v) => v !== null && typeof v === 'object'
  && (ArrayBuffer.isView(v) || Object.prototype.toString.call(v) === '[object ArrayBuffer]');
const toBuffer = (v) => (ArrayBuffer.isView(v)
  ? Buffer.from(v.buffer, v.byteOffset, v.byteLength)
  : Buffer.from(new Uint8Array(v)));

// `encodeURIComponent(k)=encodeURIComponent(v)&...` as WeChat documents it;
// nested objects are JSON-encoded first [I].
function formEncode(obj) {
  return Object.keys(obj).map((k) => {
    const v = obj[k];
    const s = v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);
    return encodeURIComponent(k) + '=' + encodeURIComponent(s);
  }).join('&');
}

function normaliseOrigin(o) {
  try { return new URL(o).origin; } catch (e) { return String(o); }
}

function createRequest(sim) {
  const { realm, options } = sim;
  const allowed = Array.isArray(options.requestDomains) ? new Set(options.requestDomains.map(normaliseOrigin)) : null;
  // The request timeout runs on options.clock {setTimeout, clearTimeout} when given (a test
  // moves it), else on the host's timers.
  const timers = options.clock || { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id) };
  const agents = {
    'http:': new http.Agent({ keepAlive: false }),
    'https:': new https.Agent({ keepAlive: false }),
  };
  const queue = [];
  const running = new Set();
  const referer = `https://servicewechat.com/${sim.appid}/devtools/page-frame.html`;

  function request(opts) {
    const o = opts && typeof opts === 'object' ? opts : {};
    const entry = { o, req: null, timer: null, done: false, endOp: sim.beginOp('request') };
    const task = new realm.Object();
    task.abort = realm.fn(() => abort(entry), 'abort');
    for (const name of ['onHeadersReceived', 'offHeadersReceived', 'onChunkReceived', 'offChunkReceived']) {
      task[name] = realm.fn(() => {}, name);
    }
    let prepared;
    try {
      prepared = prepare(o);
    } catch (e) {
      finish(entry, false, { errMsg: `request:fail ${e.message}`, errno: e.errno || 600009 });
      return task;
    }
    entry.prepared = prepared;
    sim.requests.push({
      url: prepared.url.href,
      method: prepared.method,
      header: prepared.header,
      data: prepared.body === undefined ? undefined : (prepared.binary ? prepared.body : prepared.body.toString('utf8')),
      rawData: o.data,
      timeout: o.timeout,
    });
    queue.push(entry);
    pump();
    return task;
  }

  function prepare(o) {
    if (typeof o.url !== 'string') throw Object.assign(new Error('parameter error: parameter.url should be String'), { errno: 600009 });
    let url;
    try { url = new URL(o.url); } catch (e) { throw Object.assign(new Error(`invalid url "${o.url}"`), { errno: 600009 }); }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw Object.assign(new Error(`invalid url "${o.url}"`), { errno: 600009 });
    const notInList = () => Object.assign(new Error('url not in domain list'), { errno: 600002 });
    if (allowed && !allowed.has(url.origin)) throw notInList();
    if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) throw notInList();

    const method = String(o.method || 'GET').toUpperCase();
    if (!METHODS.has(method)) throw Object.assign(new Error(`invalid method "${o.method}"`), { errno: 600009 });

    // Headers: the caller's, minus Referer (not settable), plus defaults.
    const header = {};
    const given = o.header && typeof o.header === 'object' ? o.header : {};
    for (const k of Object.keys(given)) if (k.toLowerCase() !== 'referer') header[k] = String(given[k]);
    let ctKey = Object.keys(header).find((k) => k.toLowerCase() === 'content-type');
    if (!ctKey) { ctKey = 'content-type'; header[ctKey] = 'application/json'; }
    const form = /^\s*application\/x-www-form-urlencoded/i.test(header[ctKey]);
    header.Referer = referer;

    let body;
    let binary = false;
    const data = o.data;
    if (method === 'GET' || method === 'HEAD') {
      let q = '';
      if (typeof data === 'string') q = data;
      else if (data !== null && typeof data === 'object' && !isBytes(data)) q = formEncode(data);
      if (q) url = new URL(url.href + (url.search ? '&' : '?') + q.replace(/^[?&]/, ''));
    } else if (data !== undefined && data !== null) {
      if (typeof data === 'string') body = Buffer.from(data, 'utf8');
      else if (isBytes(data)) { body = toBuffer(data); binary = true; }
      else if (typeof data === 'object') body = Buffer.from(form ? formEncode(data) : JSON.stringify(data), 'utf8');
      else body = Buffer.from(String(data), 'utf8');
    }
    const timeout = Number(o.timeout) > 0 ? Number(o.timeout) : 60000;
    return { url, method, header, body, binary, timeout };
  }

  function pump() {
    while (!sim.disposed && running.size < MAX_IN_FLIGHT && queue.length) start(queue.shift());
  }

  function start(entry) {
    const { url, method, header, body, timeout } = entry.prepared;
    running.add(entry);
    const lib = url.protocol === 'https:' ? https : http;
    const headers = Object.assign({}, header);
    if (body) headers['Content-Length'] = String(body.length);
    let req;
    try {
      req = lib.request(url, { method, headers, agent: agents[url.protocol] });
    } catch (e) {
      finish(entry, false, { errMsg: `request:fail ${e.message}`, errno: 600001 });
      return;
    }
    entry.req = req;
    entry.timer = timers.setTimeout(() => {
      finish(entry, false, { errMsg: 'request:fail timeout', errno: 5 });
      req.destroy();
    }, timeout);
    req.on('error', (err) => {
      finish(entry, false, { errMsg: `request:fail ${NET_ERRORS[err.code] || err.code || err.message}`, errno: 600001 });
    });
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (err) => finish(entry, false, { errMsg: `request:fail ${NET_ERRORS[err.code] || err.message}`, errno: 600001 }));
      res.on('aborted', () => finish(entry, false, { errMsg: 'request:fail net::ERR_CONNECTION_RESET', errno: 600001 }));
      res.on('end', () => {
        if (entry.done) return;
        finish(entry, true, response(entry.o, res, Buffer.concat(chunks)));
      });
    });
    req.end(body);
  }

  function response(o, res, buf) {
    // Header keys as the server sent them (Node lowercases res.headers).
    const header = {};
    const cookies = [];
    for (let i = 0; i < res.rawHeaders.length; i += 2) {
      const k = res.rawHeaders[i], v = res.rawHeaders[i + 1];
      if (k.toLowerCase() === 'set-cookie') cookies.push(v);
      header[k] = header[k] === undefined ? v : `${header[k]}, ${v}`;
    }
    let data;
    if (o.responseType === 'arraybuffer') {
      data = realm.arrayBuffer(buf);
    } else {
      data = buf.toString('utf8');
      if ((o.dataType === undefined || o.dataType === 'json') && data !== '') {
        try { data = realm.parse(data); } catch (e) { /* not JSON: data stays the string */ }
      }
    }
    return { data, statusCode: res.statusCode, header, cookies, errMsg: 'request:ok' };
  }

  // Deliver once: callbacks on a later macrotask (sim.macrotask), then
  // complete with the same object; exceptions go to sim.errors.
  function finish(entry, ok, res) {
    if (entry.done) return;
    entry.done = true;
    if (entry.timer) timers.clearTimeout(entry.timer);
    running.delete(entry);
    const i = queue.indexOf(entry);
    if (i >= 0) queue.splice(i, 1);
    pump();
    if (sim.disposed) { entry.endOp(); return; }
    const value = realm.toContext(res);
    const { o } = entry;
    sim.macrotask(() => {
      try {
        const cb = ok ? o.success : o.fail;
        if (typeof cb === 'function') sim.callback(cb, value, `request ${ok ? 'success' : 'fail'}`);
        if (typeof o.complete === 'function') sim.callback(o.complete, value, 'request complete');
      } finally {
        entry.endOp();
      }
    });
  }

  function abort(entry) {
    if (entry.done) return;
    const req = entry.req;
    finish(entry, false, { errMsg: 'request:fail abort', errno: 600003 });
    if (req) req.destroy();
  }

  function dispose() {
    for (const entry of [...running, ...queue]) {
      entry.done = true;
      if (entry.timer) timers.clearTimeout(entry.timer);
      if (entry.req) entry.req.destroy();
      entry.endOp();
    }
    running.clear();
    queue.length = 0;
    agents['http:'].destroy();
    agents['https:'].destroy();
  }

  return { request, dispose, inFlight: () => running.size, queued: () => queue.length };
}

module.exports = { createRequest, formEncode };
