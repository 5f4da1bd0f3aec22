// @ts-check
// zhenzisms_node.js — the Node platform (cloud functions, servers): the wasm loaded
// synchronously from the file beside this one, https with keep-alive agents, connect and
// total timeouts, TLS verification on, the whole body read whatever its chunking. Its timers
// and clock are the global ones; `withClock` gives the same platform on a clock a test moves.
'use strict';

var fs = require('fs');
var path = require('path');
var http = require('http');
var https = require('https');
var crypto = require('crypto');
var core = require('./zhenzisms_core.js');

var CONNECT_TIMEOUT_MS = 5000;
var MAX_BODY_BYTES = 1 << 20;
var agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }) // rejectUnauthorized stays true
};

function loadCoreSync(wasmPath) {
  var file = wasmPath || path.join(__dirname, 'zhenzisms_bg.wasm');
  var mod = new WebAssembly.Module(fs.readFileSync(file));
  core.attach(new WebAssembly.Instance(mod, core.imports()), mod);
  return core;
}

// Resolves {status, header, body}; rejects {code: 9100 | 9101 | 9103, detail, sent}, where `sent`
// says whether a connection was made (so a send may be retried only when it is false).
// `clock` {setTimeout, clearTimeout} runs the connect and total timeouts.
function request(req, clock) {
  var setTimeout = clock.setTimeout;
  var clearTimeout = clock.clearTimeout;
  return new Promise(function (resolve, reject) {
    var url = new URL(req.url);
    var transport = url.protocol === 'https:' ? https : http;
    var body = Buffer.from(req.body, 'utf8');
    var connected = false;
    var settled = false;
    var timer = null;
    function fail(code, detail) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      r.destroy();
      reject({ code: code, detail: detail, sent: connected });
    }
    var headers = Object.assign({}, req.header, { 'Content-Length': body.length });
    /** @type {any} */
    var r = { destroy: function () {} };
    try {
      r = transport.request(url, { method: req.method, headers: headers, agent: agents[url.protocol] }, onReply);
    } catch (/** @type {any} */ e) {
      // Refused before anything was sent (a header http rejects): a typed failure, never a throw.
      return fail(9100, 'request not sent: ' + (e.code || e.message));
    }
    function onReply(/** @type {any} */ res) {
      var chunks = [];
      var size = 0;
      res.on('data', function (chunk) {
        size += chunk.length;
        // An unreadable reply (9103), as the core calls one over the same limit; not a network fault.
        if (size > MAX_BODY_BYTES) fail(9103, 'reply larger than ' + MAX_BODY_BYTES + ' bytes');
        else chunks.push(chunk);
      });
      res.on('end', function () {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode, header: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('aborted', function () {
        fail(9100, 'connection closed mid-reply');
      });
      res.on('error', function (/** @type {any} */ e) {
        fail(9100, e.code || e.message);
      });
    }
    r.on('socket', function (socket) {
      if (!socket.connecting) {
        connected = true; // a reused keep-alive socket
        return;
      }
      var connectTimer = setTimeout(function () {
        fail(9101, 'no connection after ' + CONNECT_TIMEOUT_MS + ' ms');
      }, Math.min(CONNECT_TIMEOUT_MS, req.timeoutMs));
      socket.once('connect', function () {
        connected = true;
        clearTimeout(connectTimer);
      });
      socket.once('close', function () {
        clearTimeout(connectTimer);
      });
    });
    r.on('error', function (/** @type {any} */ e) {
      fail(9100, e.code || e.message);
    });
    timer = setTimeout(function () {
      fail(9101, 'no reply after ' + req.timeoutMs + ' ms');
    }, req.timeoutMs);
    r.end(body);
  });
}

// In Node, client-side code records (the vendor client's createCode/validateCode) live in
// memory; servers should use the cloud function's database store instead.
var memory = new Map();

// The platform on `clock` {now, setTimeout, clearTimeout} (each defaulting to the global one).
/** @param {{now?: () => number, setTimeout?: Function, clearTimeout?: Function}} clock */
function withClock(clock) {
  // The global timers are looked up at each call (a test may replace them meanwhile).
  var timers = {
    now: clock.now || function () {
      return Date.now();
    },
    setTimeout: clock.setTimeout || function (fn, ms) {
      return setTimeout(fn, ms);
    },
    clearTimeout: clock.clearTimeout || function (id) {
      clearTimeout(id);
    }
  };
  return {
    name: 'node',
    route: 'direct',
    loadCoreSync: loadCoreSync,
    /** @param {any} req */
    request: function (req) {
      return request(req, timers);
    },
    randomBytes: function (n) {
      return Promise.resolve(new Uint8Array(crypto.randomBytes(n)));
    },
    randomBytesSync: function (n) {
      return new Uint8Array(crypto.randomBytes(n));
    },
    storage: {
      get: function (key) {
        return memory.has(key) ? memory.get(key) : '';
      },
      set: function (key, value) {
        memory.set(key, JSON.parse(JSON.stringify(value)));
      }
    },
    now: timers.now,
    setTimeout: timers.setTimeout,
    agents: agents,
    withClock: withClock
  };
}

module.exports = withClock({});
