'use strict';
// Shared helpers for the sandbox tests: real HTTP over loopback, no mocks.

const http = require('node:http');
const net = require('node:net');
const { startSandbox } = require('../../sandbox/server.js');

const FORM = 'application/x-www-form-urlencoded;charset=UTF-8';
const APP = { appId: '10001', appSecret: 'sandbox-secret-10001' };

// Encodes fields the way the SDKs do (encodeURIComponent; spaces as %20).
function encodeForm(fields) {
  return Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/**
 * One HTTP request. Resolves {status, headers, body (string), json (or undefined), chunks}
 * or, when the connection fails, {error}. Never rejects.
 *   opts.method, opts.headers, opts.body (string|Buffer), opts.agent, opts.timeoutMs
 */
function request(baseUrl, path, opts = {}) {
  return new Promise((resolve) => {
    let settled = false;
    const done = (v) => {
      if (!settled) {
        settled = true;
        resolve(v);
      }
    };
    const body = opts.body === undefined ? null : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body, 'utf8');
    const headers = Object.assign({}, opts.headers || {});
    if (body && headers['Content-Length'] === undefined) headers['Content-Length'] = body.length;
    const req = http.request(`${baseUrl}${path}`, { method: opts.method || 'POST', headers, agent: opts.agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('aborted', () => done({ error: new Error('response aborted'), status: res.statusCode, partial: Buffer.concat(chunks) }));
      res.on('error', (e) => done({ error: e, status: res.statusCode, partial: Buffer.concat(chunks) }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        done({ status: res.statusCode, headers: res.headers, body: text, json, chunks });
      });
    });
    req.on('error', (e) => done({ error: e }));
    if (opts.timeoutMs) {
      req.setTimeout(opts.timeoutMs, () => {
        done({ timedOut: true });
        req.destroy();
      });
    }
    if (body) req.write(body);
    req.end();
  });
}

// POST a urlencoded form; `fields` is an object (encoded) or a ready string.
function postForm(baseUrl, path, fields, opts = {}) {
  const body = typeof fields === 'string' ? fields : encodeForm(fields);
  return request(baseUrl, path, Object.assign({}, opts, {
    method: 'POST',
    body,
    headers: Object.assign({ 'Content-Type': FORM }, opts.headers || {}),
  }));
}

// Writes raw bytes on a fresh TCP connection and collects everything until the server closes.
function rawExchange(port, bytes, { timeoutMs = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('raw exchange: server did not close the connection'));
    }, timeoutMs);
    sock.on('connect', () => sock.write(bytes));
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', () => {});
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

// close() must finish promptly even with open or hung connections; fail loudly if not.
async function closeWithin(sb, ms = 2000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`sandbox close() took over ${ms} ms`)), ms);
  });
  try {
    await Promise.race([sb.close(), timeout]);
  } catch (e) {
    // Fail the test, but do not leave the test process hanging on open sockets.
    sb.server.closeAllConnections();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

// Runs fn(sb) against a fresh sandbox and always closes it.
async function withSandbox(options, fn) {
  const sb = await startSandbox(options);
  try {
    return await fn(sb);
  } finally {
    await closeWithin(sb);
  }
}

module.exports = { FORM, APP, encodeForm, request, postForm, rawExchange, closeWithin, withSandbox, startSandbox };
