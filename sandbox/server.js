'use strict';
// Local Zhenzi (榛子云短信) sandbox: an independent implementation of the vendor's HTTP
// protocol as described in docs/zhenzi-api.md, plus a fake "phone" (inboxes), a
// request log and fault injection. Node built-ins only; it must not import project code.
//
// CLI:    node sandbox/server.js --port 0 [--fixture path.json] [--verbose]
// Module: const { startSandbox } = require('./sandbox/server.js');

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { createTencent } = require('./tencent.js');

const MAX_BODY = 64 * 1024;          // larger bodies get 413
const HARD_BODY_LIMIT = 4 * 1024 * 1024; // beyond this we stop draining and close the socket
const MAX_DELAY_MS = 120000;
const MAX_CHUNKS = 1000;
const CHUNK_GAP_MS = 5;

const DEFAULT_FIXTURE_PATH = path.join(__dirname, 'fixture.json');

// Vendor error texts (docs/zhenzi-api.md, "Error codes").
const VENDOR_TEXT = {
  100: '参数格式错误',
  101: '短信内容超过1000字',
  105: 'appId错误或应用不存在',
  106: '应用被禁止',
  107: 'ip错误',
  108: '短信余额不足',
  109: '今日发送超过限额',
  110: '应用秘钥(AppSecret)错误',
  111: '账号不存在',
  117: 'templateId错误，或者模板未审核',
  1000: '系统位置错误',
};

// path -> which call it is and whether it is the mini-program relay (extra `apiUrl` field).
const VENDOR_ROUTES = {
  '/sms/send.do': { call: 'send1', relay: false },
  '/sms/v2/send.do': { call: 'send2', relay: false },
  '/account/balance.do': { call: 'balance', relay: false },
  '/smslog/findSmsByMessageId.do': { call: 'find', relay: false },
  '/sms/send.html': { call: 'send1', relay: true },
  '/sms/v2/send.html': { call: 'send2', relay: true },
  '/sms/balance.html': { call: 'balance', relay: true },
  '/sms/findSmsByMessageId.html': { call: 'find', relay: true },
};

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n' +
  '</body>\r\n</html>\r\n';

const NON_JSON_PAGE =
  '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>榛子云短信</title></head>' +
  '<body><p>系统维护中，请稍后再试。</p></body></html>\n';

// ---------------------------------------------------------------------------
// Small errors

class HttpError extends Error {
  constructor(status, explanation, headers) {
    super(explanation);
    this.status = status;
    this.headers = headers || {};
  }
}

class FixtureError extends Error {}

// ---------------------------------------------------------------------------
// Fixture loading and validation

function loadDefaultFixture() {
  return JSON.parse(fs.readFileSync(DEFAULT_FIXTURE_PATH, 'utf8'));
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// Top-level keys the caller gives replace the default fixture's keys (shallow merge), so a
// test can pass just `{ apps: [...] }` and keep the default templates and hosts.
function normaliseFixture(given) {
  const base = loadDefaultFixture();
  if (given !== undefined && !isPlainObject(given)) throw new FixtureError('fixture must be an object');
  const merged = JSON.parse(JSON.stringify(Object.assign({}, base, given || {})));

  if (!Array.isArray(merged.apiHosts) || !merged.apiHosts.every((h) => typeof h === 'string')) {
    throw new FixtureError('fixture.apiHosts must be an array of strings');
  }
  if (!['accept', 'reject'].includes(merged.duplicateMessageId)) {
    throw new FixtureError('fixture.duplicateMessageId must be "accept" or "reject"');
  }
  if (!['accept', 'reject'].includes(merged.templateParamNumbers)) {
    throw new FixtureError('fixture.templateParamNumbers must be "accept" or "reject"');
  }
  merged.templates = normaliseTemplates(merged.templates, 'fixture.templates');
  if (!Array.isArray(merged.apps)) throw new FixtureError('fixture.apps must be an array');
  const seen = new Set();
  merged.apps = merged.apps.map((app, i) => {
    const a = normaliseApp(app, `fixture.apps[${i}]`);
    if (seen.has(a.appId)) throw new FixtureError(`fixture.apps: duplicate appId ${a.appId}`);
    seen.add(a.appId);
    return a;
  });
  if (!Array.isArray(merged.faults)) throw new FixtureError('fixture.faults must be an array');
  merged.faults = merged.faults.map((f, i) => {
    try {
      return normaliseQueuedFault(f);
    } catch (e) {
      throw new FixtureError(`fixture.faults[${i}]: ${e.message}`);
    }
  });
  return merged;
}

function normaliseTemplates(templates, where) {
  if (templates === undefined) return {};
  if (!isPlainObject(templates)) throw new FixtureError(`${where} must be an object keyed by templateId`);
  const out = {};
  for (const [id, t] of Object.entries(templates)) {
    if (!isPlainObject(t) || typeof t.text !== 'string') {
      throw new FixtureError(`${where}["${id}"] must be {"text": string, "approved": boolean}`);
    }
    out[id] = { text: t.text, approved: t.approved !== false };
  }
  return out;
}

function normaliseApp(app, where) {
  if (!isPlainObject(app)) throw new FixtureError(`${where} must be an object`);
  if (typeof app.appId !== 'string' || app.appId === '') throw new FixtureError(`${where}.appId must be a non-empty string`);
  if (typeof app.appSecret !== 'string' || app.appSecret === '') {
    throw new FixtureError(`${where}.appSecret must be a non-empty string`);
  }
  const balance = app.balance === undefined ? 1000 : app.balance;
  if (!Number.isSafeInteger(balance) || balance < 0) throw new FixtureError(`${where}.balance must be an integer >= 0`);
  const cap = app.dailyCapPerNumber === undefined ? 0 : app.dailyCapPerNumber;
  if (!Number.isSafeInteger(cap) || cap < 0) throw new FixtureError(`${where}.dailyCapPerNumber must be an integer >= 0`);
  const whitelist = app.ipWhitelist === undefined ? [] : app.ipWhitelist;
  if (!Array.isArray(whitelist) || !whitelist.every((ip) => typeof ip === 'string')) {
    throw new FixtureError(`${where}.ipWhitelist must be an array of strings`);
  }
  return {
    appId: app.appId,
    appSecret: app.appSecret,
    appName: typeof app.appName === 'string' ? app.appName : app.appId,
    balance,
    banned: app.banned === true,
    accountExists: app.accountExists !== false,
    ipWhitelist: whitelist,
    dailyCapPerNumber: cap,
    templates: app.templates === undefined ? null : normaliseTemplates(app.templates, `${where}.templates`),
  };
}

// ---------------------------------------------------------------------------
// Faults

// "delay=250" -> {kind:'delay', ms:250}; "http502" -> {kind:'http502'}; throws on anything else.
function parseFault(text) {
  if (typeof text !== 'string') throw new Error('fault must be a string');
  const s = text.trim();
  let m = /^delay=(\d{1,9})$/.exec(s);
  if (m) {
    const ms = Number(m[1]);
    if (ms > MAX_DELAY_MS) throw new Error(`delay must be at most ${MAX_DELAY_MS} ms`);
    return { kind: 'delay', ms, label: s };
  }
  m = /^chunked=(\d{1,9})$/.exec(s);
  if (m) {
    const n = Number(m[1]);
    if (n < 1 || n > MAX_CHUNKS) throw new Error(`chunked=<n> needs 1 <= n <= ${MAX_CHUNKS}`);
    return { kind: 'chunked', n, label: s };
  }
  if (['http502', 'nonjson', 'reset', 'code1000', 'hang', 'empty'].includes(s)) return { kind: s, label: s };
  throw new Error(`unknown fault "${s}" (delay=<ms>, http502, nonjson, reset, code1000, hang, chunked=<n>, empty)`);
}

// {"fault": "...", "path": "/sms/send.html"?, "count": 1?} -> queue entry.
function normaliseQueuedFault(obj) {
  if (!isPlainObject(obj)) throw new Error('a queued fault must be an object {"fault", "path"?, "count"?}');
  const fault = parseFault(obj.fault);
  const count = obj.count === undefined ? 1 : obj.count;
  if (!Number.isSafeInteger(count) || count < 1) throw new Error('count must be an integer >= 1');
  if (obj.path !== undefined && (typeof obj.path !== 'string' || !obj.path.startsWith('/'))) {
    throw new Error('path must be a string starting with "/"');
  }
  return { fault: fault.label, path: obj.path === undefined ? null : obj.path, count };
}

// ---------------------------------------------------------------------------
// Request body decoding

// Accepts "application/x-www-form-urlencoded" optionally with a UTF-8 charset parameter.
function isFormUtf8ContentType(header) {
  if (typeof header !== 'string') return false;
  const parts = header.split(';').map((p) => p.trim());
  if (parts[0].toLowerCase() !== 'application/x-www-form-urlencoded') return false;
  for (const p of parts.slice(1)) {
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq < 0) return false;
    const name = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (name === 'charset' && !['utf-8', 'utf8'].includes(value.toLowerCase())) return false;
  }
  return true;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

// Decodes one urlencoded component strictly: "+" is a space, "%XX" a byte, and the
// resulting bytes must be valid UTF-8. Throws HttpError(400) otherwise.
function decodeComponent(s) {
  if (!s.includes('%')) return s.replace(/\+/g, ' ');
  const bytes = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw new HttpError(400, `broken urlencoding: "%${hex}" is not a percent escape`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (ch === '+') {
      bytes.push(0x20);
    } else {
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    }
  }
  try {
    return STRICT_UTF8.decode(Uint8Array.from(bytes));
  } catch {
    throw new HttpError(400, 'broken urlencoding: the escapes do not form valid UTF-8');
  }
}

// Parses a urlencoded body into a plain object. The first occurrence of a repeated field wins.
function parseForm(buffer) {
  let text;
  try {
    text = STRICT_UTF8.decode(buffer);
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8');
  }
  const form = Object.create(null);
  if (text === '') return form;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    if (!(name in form)) form[name] = value;
  }
  return form;
}

// Reads the request body. Resolves {buffer, tooLarge, aborted}. Bodies above MAX_BODY are
// drained (not stored) so the keep-alive connection stays usable; above HARD_BODY_LIMIT we
// give up draining and the caller closes the connection.
function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let done = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
      else if (size > HARD_BODY_LIMIT) {
        req.pause();
        finish({ buffer: null, tooLarge: true, abandoned: true });
      }
    });
    req.on('end', () => finish({ buffer: size > MAX_BODY ? null : Buffer.concat(chunks), tooLarge: size > MAX_BODY }));
    req.on('error', () => finish({ aborted: true }));
    req.on('aborted', () => finish({ aborted: true }));
    req.on('close', () => finish({ aborted: true })); // only matters if 'end' never came
  });
}

// ---------------------------------------------------------------------------
// Helpers

function pad2(n) {
  return String(n).padStart(2, '0');
}

// Server-local "YYYY-MM-DD HH:mm:ss".
function formatLocalTime(d) {
  return (
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`
  );
}

function normaliseIp(ip) {
  if (typeof ip !== 'string') return '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function vendorError(code) {
  return { code, data: VENDOR_TEXT[code] };
}

function stripTrailingSlash(s) {
  return s.endsWith('/') ? s.slice(0, -1) : s;
}

// Phone numbers: 11 ASCII digits starting with 1.
function isValidNumber(number) {
  return typeof number === 'string' && /^1[0-9]{10}$/.test(number);
}

// Length in Unicode code points (an emoji outside the BMP counts as one character).
function codePointLength(s) {
  let n = 0;
  for (const _ of s) n++; // eslint-disable-line no-unused-vars
  return n;
}

// ---------------------------------------------------------------------------
// The sandbox

/**
 * Starts a sandbox. Options:
 *   port     (default 0 = any free port)
 *   fixture  object; its top-level keys replace the default fixture's (optional)
 *   now      () => Date, a clock for createTime and the daily cap (optional, for tests)
 *   log      (line) => void, called once per vendor request (optional)
 *   tencent  object; its keys replace the Tencent endpoint's accounts (tencent.js, optional)
 * Resolves to { url, port, server, inbox(number), requests, reset(), queueFault(obj), close() }.
 */
async function startSandbox(options = {}) {
  const fixture = normaliseFixture(options.fixture);
  const now = typeof options.now === 'function' ? options.now : () => new Date();
  const log = typeof options.log === 'function' ? options.log : null;

  const requests = [];           // request log, exposed as sb.requests (same array forever)
  const inboxes = new Map();     // number -> [{message, messageId, appId, createTime}]
  const timers = new Set();      // pending delay/chunk timers, cleared on close
  let apps = new Map();          // appId -> mutable app state (balance)
  let sent = [];                 // successful sends, for find and duplicate checks
  let dailyCounts = new Map();   // "appId|number|YYYY-MM-DD" -> sends
  let faultQueue = [];
  let baseUrl = '';
  let closed = false;
  // Tencent Cloud SMS at POST / with X-TC-Action (tencent.js); texts land in the same inboxes.
  const tencent = createTencent({
    now,
    fixture: options.tencent,
    formatTime: formatLocalTime,
    deliver(number, message) {
      if (!inboxes.has(number)) inboxes.set(number, []);
      inboxes.get(number).push(message);
    },
  });

  function resetState() {
    tencent.reset();
    apps = new Map(fixture.apps.map((a) => [a.appId, Object.assign({}, a)]));
    inboxes.clear();
    requests.length = 0;
    sent = [];
    dailyCounts = new Map();
    faultQueue = fixture.faults.map((f) => Object.assign({}, f));
  }
  resetState();

  function later(ms, fn) {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  // ---- vendor logic -------------------------------------------------------

  // Auth in the documented order: 100, 105, 106, 111, 110, 107.
  function authenticate(form, ip, call) {
    if (!form.appId || !form.appSecret) return { error: vendorError(100) };
    const app = apps.get(form.appId);
    if (!app) return { error: vendorError(105) };
    if (app.banned) return { error: vendorError(106) };
    // Balance never returns 111 (docs/zhenzi-api.md), so a missing account looks like a bad appId there.
    if (!app.accountExists) return { error: vendorError(call === 'balance' ? 105 : 111) };
    if (app.appSecret !== form.appSecret) return { error: vendorError(110) };
    if (app.ipWhitelist.length > 0 && !app.ipWhitelist.includes(ip)) return { error: vendorError(107) };
    return { app };
  }

  function findTemplate(app, templateId) {
    if (app.templates && Object.prototype.hasOwnProperty.call(app.templates, templateId)) {
      return app.templates[templateId];
    }
    if (Object.prototype.hasOwnProperty.call(fixture.templates, templateId)) return fixture.templates[templateId];
    return null;
  }

  // templateParams: '' = absent (undefined: the template goes out as written). Otherwise a JSON
  // array of strings (numbers allowed if the fixture says so, stringified with String()).
  // Returns the array, undefined when absent, or null (-> 100).
  function parseTemplateParams(text) {
    if (text === undefined || text === '') return undefined;
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
    if (!Array.isArray(value)) return null;
    const out = [];
    for (const v of value) {
      if (typeof v === 'string') out.push(v);
      else if (typeof v === 'number' && Number.isFinite(v) && fixture.templateParamNumbers === 'accept') out.push(String(v));
      else return null;
    }
    return out;
  }

  // Fills {1}, {2}, ... in one pass; a placeholder without a parameter -> null (-> 100).
  // Absent parameters (undefined) leave the template as written, as the real server treats an
  // empty optional field as absent (vendor E sends templateParams='' when a page gives none).
  function fillTemplate(text, params) {
    if (params === undefined) return text;
    let missing = false;
    const filled = text.replace(/\{(\d+)\}/g, (whole, idx) => {
      const i = Number(idx);
      if (i >= 1 && i <= params.length) return params[i - 1];
      missing = true;
      return whole;
    });
    return missing ? null : filled;
  }

  function handleSend(form, app, version) {
    const number = form.number || '';
    if (!isValidNumber(number)) return vendorError(100);

    let message;
    if (version === 1) {
      message = form.message || '';
      if (message === '') return vendorError(100);
    } else {
      const templateId = form.templateId || '';
      if (templateId === '') return vendorError(100);
      const template = findTemplate(app, templateId);
      if (!template || !template.approved) return vendorError(117);
      const params = parseTemplateParams(form.templateParams);
      if (params === null) return vendorError(100);
      message = fillTemplate(template.text, params);
      if (message === null) return vendorError(100);
    }
    if (codePointLength(message) > 1000) return vendorError(101);

    const messageId = form.messageId ? form.messageId : null;
    if (messageId !== null && fixture.duplicateMessageId === 'reject') {
      if (sent.some((s) => s.appId === app.appId && s.messageId === messageId)) return vendorError(100);
    }

    if (app.balance <= 0) return vendorError(108);

    const at = now();
    const createTime = formatLocalTime(at);
    const dayKey = `${app.appId}|${number}|${createTime.slice(0, 10)}`;
    const today = dailyCounts.get(dayKey) || 0;
    if (app.dailyCapPerNumber > 0 && today >= app.dailyCapPerNumber) return vendorError(109);

    // Success: spend one message, deliver it, remember it for find.
    app.balance -= 1;
    dailyCounts.set(dayKey, today + 1);
    sent.push({ appId: app.appId, appName: app.appName, number, message, messageId, createTime });
    if (!inboxes.has(number)) inboxes.set(number, []);
    inboxes.get(number).push({ message, messageId, appId: app.appId, createTime });
    return { code: 0, data: '发送成功' };
  }

  function handleFind(form, app) {
    const messageId = form.messageId || '';
    if (messageId === '') return vendorError(100);
    // Later sends win when duplicate messageIds were accepted.
    for (let i = sent.length - 1; i >= 0; i--) {
      const s = sent[i];
      if (s.appId === app.appId && s.messageId === messageId) {
        return {
          code: 0,
          data: {
            message: s.message,
            appName: s.appName,
            createTime: s.createTime,
            status: 'success',
            toNumber: s.number,
            messageId: s.messageId,
          },
        };
      }
    }
    return { code: 0, data: {} };
  }

  function isAcceptedApiUrl(apiUrl) {
    if (!apiUrl) return false;
    const wanted = stripTrailingSlash(apiUrl);
    return wanted === baseUrl || fixture.apiHosts.some((h) => stripTrailingSlash(h) === wanted);
  }

  // Runs one vendor call; returns {code, data}.
  function processCall(route, form, ip) {
    if (route.relay && !isAcceptedApiUrl(form.apiUrl)) return vendorError(100);
    const auth = authenticate(form, ip, route.call);
    if (auth.error) return auth.error;
    switch (route.call) {
      case 'send1':
        return handleSend(form, auth.app, 1);
      case 'send2':
        return handleSend(form, auth.app, 2);
      case 'balance':
        return { code: 0, data: auth.app.balance };
      case 'find':
        return handleFind(form, auth.app);
      default:
        throw new Error(`unhandled call ${route.call}`);
    }
  }

  // Header fault wins; otherwise the first queued fault matching this path is consumed.
  function takeFault(req, pathname) {
    const header = req.headers['x-sandbox-fault'];
    if (header !== undefined && header !== '') return parseFault(String(header));
    const i = faultQueue.findIndex((f) => f.path === null || f.path === pathname);
    if (i < 0) return null;
    const entry = faultQueue[i];
    entry.count -= 1;
    if (entry.count <= 0) faultQueue.splice(i, 1);
    return parseFault(entry.fault);
  }

  // ---- replies ------------------------------------------------------------

  function sendRaw(res, status, contentType, body, extraHeaders) {
    if (res.headersSent || res.destroyed) return;
    const buf = Buffer.from(body, 'utf8');
    res.writeHead(status, Object.assign({ 'Content-Type': contentType, 'Content-Length': buf.length }, extraHeaders || {}));
    res.end(buf);
  }

  function sendJson(res, status, obj, extraHeaders) {
    sendRaw(res, status, 'application/json;charset=UTF-8', JSON.stringify(obj), extraHeaders);
  }

  // Sends `body` as chunked transfer encoding in n pieces, a few ms apart. The split is by
  // bytes, so a piece may end inside a multi-byte character (on purpose).
  function sendChunked(res, body, n) {
    const buf = Buffer.from(body, 'utf8');
    const pieces = Math.min(n, buf.length);
    const size = Math.ceil(buf.length / pieces);
    res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8', 'Transfer-Encoding': 'chunked' });
    let offset = 0;
    const step = () => {
      if (res.destroyed) return;
      const part = buf.subarray(offset, offset + size);
      offset += part.length;
      if (offset >= buf.length) res.end(part);
      else {
        res.write(part);
        later(CHUNK_GAP_MS, step);
      }
    };
    step();
  }

  // Headers promise the full body; half of it is written, then the socket is destroyed.
  function sendReset(res, body) {
    const buf = Buffer.from(body, 'utf8');
    res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': buf.length });
    res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => res.socket && res.socket.destroy());
    // If the write callback never fires (socket already gone), make sure we still end.
    later(50, () => res.socket && res.socket.destroy());
  }

  // ---- request handling ---------------------------------------------------

  async function handleRequest(req, res) {
    const pathname = (req.url || '/').split('?')[0];
    if (pathname.startsWith('/__')) return handleControl(req, res, pathname);

    const entry = {
      time: new Date().toISOString(),
      method: req.method,
      path: pathname,
      httpVersion: req.httpVersion,
      remoteAddress: normaliseIp(req.socket.remoteAddress),
      form: null,
      fault: null,
      status: null,
      code: null,
    };
    requests.push(entry);
    const finish = (status, code) => {
      entry.status = status;
      entry.code = code;
      if (log) log(`${entry.method} ${entry.path} -> ${status}${code === null ? '' : ` code=${code}`}${entry.fault ? ` fault=${entry.fault}` : ''}`);
    };
    const fail = (status, explanation, headers) => {
      finish(status, -1);
      sendJson(res, status, { code: -1, data: explanation }, headers);
    };

    const route = Object.prototype.hasOwnProperty.call(VENDOR_ROUTES, pathname) ? VENDOR_ROUTES[pathname] : null;
    const body = await readBody(req);
    if (body.aborted) return finish(null, null);
    if (body.abandoned) {
      return fail(413, `body over ${MAX_BODY} bytes`, { Connection: 'close' });
    }
    if (req.headers['x-tc-action'] !== undefined) return handleTencent(req, res, body, entry, finish, fail);
    if (!route) return fail(404, `unknown path ${pathname}`);
    if (req.method !== 'POST') return fail(405, `method ${req.method} not allowed, use POST`, { Allow: 'POST' });
    if (!isFormUtf8ContentType(req.headers['content-type'])) {
      return fail(415, `Content-Type must be application/x-www-form-urlencoded (UTF-8), got ${JSON.stringify(req.headers['content-type'] || '')}`);
    }
    if (body.tooLarge) return fail(413, `body over ${MAX_BODY} bytes`);

    let form;
    let fault;
    try {
      form = parseForm(body.buffer);
      entry.form = Object.assign({}, form);
      if ('appSecret' in entry.form) entry.form.appSecret = '***';
      fault = takeFault(req, pathname);
    } catch (e) {
      if (e instanceof HttpError) return fail(e.status, e.message);
      return fail(400, e.message); // a bad X-Sandbox-Fault header
    }
    entry.fault = fault ? fault.label : null;

    // Faults that replace the reply: the request is NOT processed (nothing sent or spent).
    if (fault && fault.kind !== 'delay' && fault.kind !== 'chunked') {
      switch (fault.kind) {
        case 'hang':
          finish(null, null); // never answered; close() destroys the socket
          return undefined;
        case 'http502':
          finish(502, null);
          return sendRaw(res, 502, 'text/html', NGINX_502);
        case 'nonjson':
          finish(200, null);
          return sendRaw(res, 200, 'text/html;charset=UTF-8', NON_JSON_PAGE);
        case 'empty':
          finish(200, null);
          return sendRaw(res, 200, 'application/json;charset=UTF-8', '');
        case 'code1000':
          finish(200, 1000);
          return sendJson(res, 200, vendorError(1000));
        case 'reset':
          finish(200, null);
          return sendReset(res, JSON.stringify(vendorError(1000)));
        default:
          throw new Error(`unhandled fault ${fault.kind}`);
      }
    }

    // Normal processing; delay and chunked only change how the reply travels.
    const result = processCall(route, form, entry.remoteAddress);
    finish(200, result.code);
    if (fault && fault.kind === 'delay') {
      later(fault.ms, () => sendJson(res, 200, result));
    } else if (fault && fault.kind === 'chunked') {
      sendChunked(res, JSON.stringify(result), fault.n);
    } else {
      sendJson(res, 200, result);
    }
    return undefined;
  }

  // A Tencent request: the same faults as Zhenzi's where they apply (hang, delay, http502,
  // nonjson, empty, reset), else tencent.js answers.
  function handleTencent(req, res, body, entry, finish, fail) {
    if (req.method !== 'POST') return fail(405, `method ${req.method} not allowed, use POST`, { Allow: 'POST' });
    if (body.tooLarge) return fail(413, `body over ${MAX_BODY} bytes`);
    let fault;
    try {
      fault = takeFault(req, entry.path);
    } catch (e) {
      return fail(400, e.message);
    }
    entry.fault = fault ? fault.label : null;
    const kind = fault ? fault.kind : null;
    if (kind === 'hang') return finish(null, null);
    if (kind === 'http502') return finish(502, null), sendRaw(res, 502, 'text/html', NGINX_502);
    if (kind === 'nonjson') return finish(200, null), sendRaw(res, 200, 'text/html;charset=UTF-8', NON_JSON_PAGE);
    if (kind === 'empty') return finish(200, null), sendRaw(res, 200, 'application/json', '');
    const result = tencent.handle(req.headers, body.buffer);
    finish(result.status, result.code);
    if (kind === 'reset') return sendReset(res, JSON.stringify(result.json));
    if (kind === 'delay') return later(fault.ms, () => sendJson(res, result.status, result.json));
    return sendJson(res, result.status, result.json);
  }

  // Control surface: /__inbox/<number>, /__requests, /__reset, /__faults. Not logged.
  async function handleControl(req, res, pathname) {
    const body = await readBody(req);
    if (body.aborted) return undefined;
    const ctl = (status, data, headers) => sendJson(res, status, { code: status === 200 ? 0 : -1, data }, headers);
    const needMethod = (m) => {
      if (req.method === m) return true;
      ctl(405, `method ${req.method} not allowed, use ${m}`, { Allow: m });
      return false;
    };
    if (body.abandoned) return ctl(413, `body over ${MAX_BODY} bytes`, { Connection: 'close' });
    if (body.tooLarge) return ctl(413, `body over ${MAX_BODY} bytes`);

    if (pathname.startsWith('/__inbox/')) {
      if (!needMethod('GET')) return undefined;
      let number;
      try {
        number = decodeURIComponent(pathname.slice('/__inbox/'.length));
      } catch {
        return ctl(400, 'bad percent-encoding in number');
      }
      return sendJson(res, 200, api.inbox(number));
    }
    if (pathname === '/__requests') {
      if (!needMethod('GET')) return undefined;
      return sendJson(res, 200, requests);
    }
    if (pathname === '/__reset') {
      if (!needMethod('POST')) return undefined;
      resetState();
      return ctl(200, 'reset');
    }
    if (pathname === '/__faults') {
      if (req.method === 'GET') return sendJson(res, 200, faultQueue);
      if (!needMethod('POST')) return undefined;
      let queued;
      try {
        queued = api.queueFault(JSON.parse(body.buffer.toString('utf8')));
      } catch (e) {
        return ctl(400, `bad fault: ${e.message}`);
      }
      return ctl(200, queued);
    }
    return ctl(404, `unknown control path ${pathname}`);
  }

  // ---- server -------------------------------------------------------------

  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((e) => {
      try {
        if (!res.headersSent) sendJson(res, 500, { code: -1, data: `sandbox internal error: ${e.message}` });
        else res.destroy();
      } catch {
        /* socket already gone */
      }
    });
  });
  // Malformed HTTP: answer 400 JSON where possible, never crash.
  server.on('clientError', (err, socket) => {
    if (socket.writable && !socket.writableEnded) {
      const body = JSON.stringify({ code: -1, data: `bad HTTP request: ${err.code || err.message}` });
      socket.end(
        'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json;charset=UTF-8\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    } else {
      socket.destroy();
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port === undefined ? 0 : options.port, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const port = server.address().port;
  baseUrl = `http://127.0.0.1:${port}`;

  const api = {
    url: baseUrl,
    port,
    server,
    get requests() {
      return requests;
    },
    inbox(number) {
      return (inboxes.get(String(number)) || []).map((m) => Object.assign({}, m));
    },
    reset() {
      resetState();
    },
    // Same as POST /__faults; returns the queued entry.
    queueFault(obj) {
      const entry = normaliseQueuedFault(obj);
      faultQueue.push(entry);
      return Object.assign({}, entry);
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // also kills keep-alive and "hang" sockets
      });
    },
  };
  return api;
}

// ---------------------------------------------------------------------------
// CLI

function parseArgs(argv) {
  const out = { port: 0, fixture: null, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port') out.port = Number(value());
    else if (a.startsWith('--port=')) out.port = Number(a.slice(7));
    else if (a === '--fixture') out.fixture = value();
    else if (a.startsWith('--fixture=')) out.fixture = a.slice(10);
    else if (a === '--verbose') out.verbose = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error('--port must be 0..65535');
  return out;
}

async function main() {
  let args;
  let fixture;
  try {
    args = parseArgs(process.argv.slice(2));
    if (args.fixture) fixture = JSON.parse(fs.readFileSync(args.fixture, 'utf8'));
  } catch (e) {
    process.stderr.write(`zhenzi-sandbox: ${e.message}\n`);
    process.exit(2);
  }
  // Handlers go in first so a signal during start-up also ends with exit code 0.
  let sb = null;
  const stop = () => {
    if (!sb) process.exit(0);
    sb.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  sb = await startSandbox({
    port: args.port,
    fixture,
    log: args.verbose ? (line) => process.stderr.write(`zhenzi-sandbox: ${line}\n`) : null,
  });
  process.stdout.write(`ZHENZI_SANDBOX_URL=${sb.url}\n`);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`zhenzi-sandbox: ${e instanceof FixtureError ? e.message : e.stack || e.message}\n`);
    process.exit(1);
  });
}

module.exports = { startSandbox, parseFault, parseForm, isFormUtf8ContentType, VENDOR_TEXT, VENDOR_ROUTES };
