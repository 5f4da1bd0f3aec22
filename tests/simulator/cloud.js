'use strict';
// wx.cloud: init() is recorded; callFunction({name, data}) runs a cloud
// function file from options.cloudFunctions in the HOST Node realm (cloud
// functions are Node on the server: normal require, WebAssembly, Buffer...),
// never inside the mini-program context.
//
// Each simulator has its own module cache, so each loads a cloud function
// once (a "cold start") and keeps it warm afterwards. Bare requires are
// first offered to options.cloudRequire(name); 'wx-server-sdk' falls back to
// a tiny stand-in (init, getWXContext, DYNAMIC_CURRENT_ENV).
// Data crosses as JSON both ways, as it does over the network.
// Error codes/messages: -504002 for a throwing function, -504003 for the
// timeout (options.cloudTimeout, default 3000 ms like CloudBase), -501000
// for an unknown name [I].

const fs = require('fs');
const path = require('path');
const Module = require('module');
const crypto = require('crypto');

function createCloud(sim, asyncCall) {
  const { options } = sim;
  const functions = options.cloudFunctions || {};
  const timeoutMs = Number(options.cloudTimeout) > 0 ? Number(options.cloudTimeout) : 3000;
  const cache = new Map(); // absolute filename -> Module
  sim.cloudInits = [];

  // Per-call WeChat context (what cloud.getWXContext() returns).
  const cloudContext = {
    OPENID: sim.openid,
    APPID: sim.appid,
    UNIONID: options.unionid || '',
    CLIENTIP: '127.0.0.1',
    ENV: options.cloudEnv || 'sim-env',
    SOURCE: 'wx_client',
    getWXContext() {
      return { OPENID: this.OPENID, APPID: this.APPID, UNIONID: this.UNIONID, CLIENTIP: this.CLIENTIP, ENV: this.ENV, SOURCE: this.SOURCE };
    },
  };
  const standInSdk = {
    DYNAMIC_CURRENT_ENV: Symbol('DYNAMIC_CURRENT_ENV'),
    init() {},
    getWXContext: () => cloudContext.getWXContext(),
    database() { throw new Error('cloud.database() is not simulated: pass a stand-in wx-server-sdk via options.cloudRequire'); },
  };

  // Load `filename` as CommonJS with a require that consults cloudRequire
  // for bare names and loads relative files through this same loader.
  function loadCloudModule(filename) {
    const cached = cache.get(filename);
    if (cached) return cached.exports;
    const m = new Module(filename, null);
    m.filename = filename;
    m.paths = Module._nodeModulePaths(path.dirname(filename));
    const nodeRequire = Module.createRequire(filename);
    m.require = (id) => {
      if (typeof id === 'string' && !id.startsWith('.') && !path.isAbsolute(id)) {
        const given = typeof options.cloudRequire === 'function' ? options.cloudRequire(id) : undefined;
        if (given !== undefined) return given;
        if (id === 'wx-server-sdk') {
          try { return nodeRequire(id); } catch (e) { return standInSdk; }
        }
        return nodeRequire(id);
      }
      const resolved = nodeRequire.resolve(id);
      if (resolved.endsWith('.js') || resolved.endsWith('.cjs')) return loadCloudModule(resolved);
      return nodeRequire(id); // .json, .node
    };
    cache.set(filename, m);
    try {
      m._compile(fs.readFileSync(filename, 'utf8'), filename);
    } catch (e) {
      cache.delete(filename);
      throw e;
    }
    m.loaded = true;
    return m.exports;
  }

  function callFunction(o) {
    return asyncCall('cloud.callFunction', o, (finish) => {
      const name = o && o.name;
      const file = typeof name === 'string' && Object.prototype.hasOwnProperty.call(functions, name) ? functions[name] : null;
      if (!file) {
        finish(false, { errCode: -501000, errMsg: `cloud.callFunction:fail -501000 FunctionName parameter could not be found (${name})` });
        return;
      }
      const fail = (e) => finish(false, {
        errCode: -504002,
        errMsg: `cloud.callFunction:fail -504002 functions execute fail | ${e && e.stack ? String(e.stack).split('\n')[0] : String(e)}`,
      });
      const data = o.data === undefined ? {} : JSON.parse(JSON.stringify(o.data));
      const event = Object.assign({}, data, { userInfo: { openId: sim.openid, appId: sim.appid } });
      const requestID = crypto.randomUUID();
      const timer = setTimeout(() => {
        sim.cloudTimers.delete(timer);
        finish(false, { errCode: -504003, errMsg: `cloud.callFunction:fail -504003 Invoking task timed out after ${timeoutMs / 1000} seconds` });
      }, timeoutMs);
      sim.cloudTimers.add(timer);
      const done = (fn) => (x) => { clearTimeout(timer); sim.cloudTimers.delete(timer); fn(x); };
      let out;
      try {
        const exp = loadCloudModule(path.resolve(file));
        if (!exp || typeof exp.main !== 'function') throw new Error(`cloud function "${name}" has no exports.main`);
        // A test backend that models the platform's per-invocation variables sets them now.
        const sdk = typeof options.cloudRequire === 'function' ? options.cloudRequire('wx-server-sdk') : undefined;
        if (sdk && typeof sdk.beforeMain === 'function') sdk.beforeMain();
        out = exp.main(event, {});
      } catch (e) {
        done(fail)(e);
        return;
      }
      Promise.resolve(out).then(done((result) => {
        const text = JSON.stringify(result);
        finish(true, {
          result: text === undefined ? null : JSON.parse(text),
          errMsg: 'cloud.callFunction:ok',
          requestID,
        });
      }), done(fail));
    });
  }

  return {
    cloudContext,
    api: {
      init(opts) { sim.cloudInits.push(opts === undefined ? {} : JSON.parse(JSON.stringify(opts))); },
      callFunction,
    },
  };
}

module.exports = { createCloud };
