// @ts-check
// zhenzisms_web.js — the platform of the browser folder (dist/npm/browser/): browsers, and Node
// when that folder is loaded there. fetch, WebAssembly, crypto.getRandomValues, localStorage
// (or memory).
'use strict';

var core = require('./zhenzisms_core.js');

// The .wasm.br beside this file: in Node read and decompressed here; in a browser fetched
// from a server that sends it with `Content-Encoding: br`, so the browser decompresses it.
function wasmBytes(wasmPath) {
  var node = typeof process === 'object' && process.getBuiltinModule;
  if (node) {
    var fs = process.getBuiltinModule('fs');
    var zlib = process.getBuiltinModule('zlib');
    var file = wasmPath || process.getBuiltinModule('path').join(__dirname, 'zhenzisms_bg.wasm.br');
    var bytes = fs.readFileSync(file);
    return Promise.resolve(/\.br$/.test(file) ? zlib.brotliDecompressSync(bytes) : bytes);
  }
  return fetch(wasmPath || 'zhenzisms_bg.wasm.br').then(function (res) {
    if (!res.ok) throw new Error('fetching the wasm failed: HTTP ' + res.status);
    return res.arrayBuffer();
  });
}

function request(req) {
  var abort = new AbortController();
  var timer = setTimeout(function () {
    abort.abort();
  }, req.timeoutMs);
  return fetch(req.url, { method: req.method, headers: req.header, body: req.body, signal: abort.signal }).then(function (res) {
    return res.text().then(function (body) {
      var header = {};
      res.headers.forEach(function (v, k) {
        header[k] = v;
      });
      return { status: res.status, header: header, body: body };
    });
  }).catch(function (e) {
    throw { code: abort.signal.aborted ? 9101 : 9100, detail: String(e && e.message || e), sent: true };
  }).finally(function () {
    clearTimeout(timer);
  });
}

var memory = {};
var local = typeof localStorage === 'object' && localStorage ? localStorage : null;

module.exports = {
  name: 'web',
  route: 'relay',
  loadCore: function (wasmPath) {
    return wasmBytes(wasmPath).then(function (bytes) {
      return WebAssembly.instantiate(bytes, core.imports());
    }).then(function (r) {
      core.attach(r.instance, r.module);
      return core;
    });
  },
  request: request,
  randomBytes: function (n) {
    var out = new Uint8Array(n);
    for (var i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
    return Promise.resolve(out);
  },
  storage: {
    get: function (key) {
      var v = local ? local.getItem('zhenzisms:' + key) : memory[key];
      return v === null || v === undefined ? '' : local ? JSON.parse(v) : v;
    },
    set: function (key, value) {
      if (local) local.setItem('zhenzisms:' + key, JSON.stringify(value));
      else memory[key] = JSON.parse(JSON.stringify(value));
    }
  }
};
