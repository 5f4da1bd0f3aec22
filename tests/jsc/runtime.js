// runtime.js — runs inside JavaScriptCore's `jsc` shell (with --useJIT=false), before the
// bundle and the scenarios: a mini-program logic layer as far as the SDK sees it. See README.md.
//
// - define(path, factory) / require: CommonJS over the bundle the Node side wrote (every .js of
//   the package wrapped in define(), as WeChat's own packer does); package paths only.
// - wx: request, getRandomValues (both over the bridge), storage (in memory), account info.
// - WXWebAssembly.instantiate(path, imports): a package path only; the Node side hands over the
//   decompressed .wasm.br (the phone decompresses it too), and JSC's own WebAssembly, removed
//   from the global, compiles and runs it in its interpreter (no JIT).
// - no eval, no Function constructor but `new Function('return this')`, no WebAssembly global,
//   Math.random throws (the SDK must never use it).
// Bridge: a line "\u0001" + JSON on stdout; the Node side answers with one JSON line on stdin,
// read synchronously with the shell's readline(). Non-ASCII travels as \u escapes both ways.
'use strict';

var G = globalThis;
var shell = { print: print, readline: readline, readFile: readFile, quit: quit, setTimeout: setTimeout };
var RealWebAssembly = WebAssembly;
var ARGS = typeof arguments === 'undefined' ? [] : Array.prototype.slice.call(arguments);

function ascii(text) {
  return text.replace(/[\u007f-\uffff]/g, function (c) {
    return '\\u' + ('0000' + c.charCodeAt(0).toString(16)).slice(-4);
  });
}

function bridge(message) {
  shell.print('\u0001' + ascii(JSON.stringify(message)));
  var line = shell.readline();
  if (line === null || line === undefined) throw new Error('bridge closed');
  return JSON.parse(line);
}

// What the scenarios report: one line per result, read by the Node test.
function report(kind, value) {
  shell.print('\u0002' + ascii(JSON.stringify({ kind: kind, value: value })));
}

// ---- the globals a phone lacks go; the shell's own helpers are hidden ----
delete G.WebAssembly;
['print', 'readline', 'readFile', 'writeFile', 'load', 'loadString', 'run', 'runString', 'checkSyntax', 'quit', 'gc', 'debug', 'describe', 'jscStack', 'os', 'read', 'printErr', 'arguments', 'scriptArgs', '$', '$vm', '$262', 'eval'].forEach(function (name) {
  try {
    delete G[name];
  } catch (e) {}
});
(function () {
  var RealFunction = Function;
  function GuardedFunction() {
    if (arguments.length === 1 && arguments[0] === 'return this') return function () { return G; };
    throw new EvalError('Function constructor is not allowed in a mini-program');
  }
  GuardedFunction.prototype = RealFunction.prototype;
  Object.defineProperty(RealFunction.prototype, 'constructor', { value: GuardedFunction, writable: true, configurable: true });
  G.Function = GuardedFunction;
})();
Math.random = function () {
  throw new Error('Math.random is not allowed');
};

// Timers: the shell has setTimeout only; WeChat has the clears too.
(function () {
  var next = 1;
  var cancelled = {};
  G.setTimeout = function (fn, ms) {
    var id = next++;
    shell.setTimeout(function () {
      if (!cancelled[id]) fn();
      delete cancelled[id];
    }, ms || 0);
    return id;
  };
  G.clearTimeout = function (id) {
    cancelled[id] = true;
  };
})();

var logs = [];
G.console = {};
['log', 'info', 'warn', 'error', 'debug'].forEach(function (level) {
  G.console[level] = function () {
    var text = Array.prototype.map.call(arguments, String).join(' ');
    logs.push({ level: level, text: text });
  };
});

// ---- modules ----
var factories = {};
var cache = {};
function normalize(parts) {
  var out = [];
  parts.forEach(function (p) {
    if (p === '' || p === '.') return;
    if (p === '..') {
      if (!out.length) throw new Error('outside the package');
      out.pop();
    } else out.push(p);
  });
  return out.join('/');
}
function resolve(request, fromDir) {
  var base = request.charAt(0) === '/' ? request.slice(1) : fromDir + '/' + request;
  var path = normalize(base.split('/'));
  if (!/\.js$/.test(path)) path += '.js';
  if (!factories[path]) throw new Error('module "' + request + '" is not defined');
  return path;
}
function load(path) {
  if (cache[path]) return cache[path].exports;
  var module = { exports: {} };
  cache[path] = module;
  var dir = path.indexOf('/') < 0 ? '' : path.slice(0, path.lastIndexOf('/'));
  try {
    factories[path].call(undefined, function (request) {
      return load(resolve(request, dir));
    }, module, module.exports);
  } catch (e) {
    delete cache[path];
    throw e;
  }
  return module.exports;
}
G.define = function (path, factory) {
  factories[path] = factory;
};

// ---- wx ----
var storage = {};
function later(fn) {
  G.setTimeout(fn, 0);
}
G.wx = {
  request: function (o) {
    later(function () {
      var r = bridge({ op: 'request', url: o.url, method: o.method || 'GET', header: o.header || {}, data: typeof o.data === 'string' ? o.data : JSON.stringify(o.data), timeout: o.timeout });
      if (r.fail) {
        var err = { errMsg: 'request:fail ' + r.fail, errno: r.errno };
        if (o.fail) o.fail(err);
        if (o.complete) o.complete(err);
        return;
      }
      var data = r.body;
      if ((o.dataType || 'json') === 'json') {
        try {
          data = JSON.parse(r.body);
        } catch (e) {}
      }
      var res = { data: data, statusCode: r.status, header: r.header, cookies: [], errMsg: 'request:ok' };
      if (o.success) o.success(res);
      if (o.complete) o.complete(res);
    });
  },
  getRandomValues: function (o) {
    later(function () {
      var hex = bridge({ op: 'random', length: o.length }).hex;
      var bytes = new Uint8Array(hex.length / 2);
      for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
      var res = { randomValues: bytes.buffer, errMsg: 'getRandomValues:ok' };
      if (o.success) o.success(res);
      if (o.complete) o.complete(res);
    });
  },
  getStorageSync: function (key) {
    return Object.prototype.hasOwnProperty.call(storage, key) ? JSON.parse(storage[key]) : '';
  },
  setStorageSync: function (key, value) {
    storage[key] = JSON.stringify(value);
  },
  removeStorageSync: function (key) {
    delete storage[key];
  },
  getAccountInfoSync: function () {
    return { miniProgram: { envVersion: 'develop', appId: 'wxjsc' } };
  },
  getSystemInfoSync: function () {
    return { platform: 'ios', SDKVersion: '3.6.0' };
  }
};

G.WXWebAssembly = {
  instantiate: function (path, imports) {
    return new Promise(function (resolve, reject) {
      if (typeof path !== 'string' || !/^\/?[^:]+\.wasm(\.br)?$/.test(path)) {
        throw new TypeError('WXWebAssembly.instantiate: a .wasm/.wasm.br path in the code package is required');
      }
      var r = bridge({ op: 'wasm', path: path });
      if (r.error) throw new Error('WXWebAssembly.instantiate: ' + r.error + ': "' + path + '"');
      var bytes = shell.readFile(r.file, 'binary');
      RealWebAssembly.instantiate(bytes, imports).then(function (out) {
        var globals = RealWebAssembly.Module.exports(out.module).filter(function (e) {
          return e.kind === 'global';
        });
        if (globals.length) throw new RealWebAssembly.CompileError('invalid wasm file: exported Globals are not supported on iOS');
        resolve(out);
      }).then(null, reject);
    });
  },
  Memory: RealWebAssembly.Memory,
  Table: RealWebAssembly.Table,
  Global: RealWebAssembly.Global
};

// For the scenarios (which run after the bundle).
G.__jsc = { args: ARGS, require: function (path) { return load(resolve(path, '')); }, bridge: bridge, report: report, logs: logs, storage: storage, quit: shell.quit };
