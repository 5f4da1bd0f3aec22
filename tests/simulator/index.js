'use strict';
// A WeChat mini-program runtime simulator for tests (Node built-ins only).
// See docs/runtime.md for the rules it imitates and README.md
// in this folder. Entry point: createMiniProgram(options) → mp.

const fs = require('fs');
const path = require('path');
const util = require('util');
const { createContext } = require('./context.js');
const { createModules } = require('./modules.js');
const { createAsyncApi } = require('./callbacks.js');
const { createStorage } = require('./storage.js');
const { createRequest } = require('./wx-request.js');
const { createMisc } = require('./wx-misc.js');
const { createCloud } = require('./cloud.js');
const { createWXWebAssembly } = require('./wxwebassembly.js');
const { createFramework } = require('./framework.js');
const { wasmFeatures } = require('../../tools/wasm-features.js');

// Whether version `a` ('2.14.1') is older than `b`.
function olderThan(a, b) {
  const pa = String(a).split('.').map(Number);
  const pb = String(b).split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] || 0) !== (pb[i] || 0)) return (pa[i] || 0) < (pb[i] || 0);
  return false;
}

function createMiniProgram(options) {
  const opts = options || {};
  if (typeof opts.root !== 'string' || !path.isAbsolute(opts.root)) {
    throw new TypeError('createMiniProgram: options.root must be an absolute path');
  }
  if (!fs.statSync(opts.root).isDirectory()) throw new Error(`createMiniProgram: ${opts.root} is not a folder`);
  const m = opts.mode || {};

  // Shared state every part reads; mp exposes most of it.
  const sim = {
    options: opts,
    root: path.resolve(opts.root),
    mode: { ios: !!m.ios, oldIosPromise: !!m.oldIosPromise, noBigInt: !!m.noBigInt, mathRandomThrows: !!m.mathRandomThrows },
    appid: opts.appid || 'wxsimulator',
    openid: opts.openid || 'sim-openid-1',
    disposed: false,
    logs: [],
    errors: [],
    toasts: [],
    ui: [],
    navigations: [],
    requests: [],
    storage: new Map(),
    pages: {},
    components: {},
    behaviors: [],
    app: undefined,
    modalAnswer: true,
    cloudTimers: new Set(),
    ops: new Set(),
  };

  /** Record an exception thrown by mini-program code in a callback/timer. */
  sim.report = (err, where) => {
    sim.errors.push(err);
    const text = `${where}: ${err && err.stack ? err.stack : util.inspect(err)}`;
    sim.logs.push({ level: 'error', args: [text], text, uncaught: true });
    if (opts.verbose) console.error(`[mp uncaught] ${text}`);
  };
  sim.callback = (cb, value, where) => {
    try { cb(value); } catch (e) { sim.report(e, where); }
  };
  /** An operation mp.pending() waits for; returns its end function. */
  sim.beginOp = (name) => {
    const op = { name };
    sim.ops.add(op);
    return () => { sim.ops.delete(op); };
  };

  const { ctx, realm, define, run } = createContext(sim);
  sim.realm = realm;
  const modules = createModules(sim, ctx, realm);
  const asyncCall = createAsyncApi(sim);
  const storage = createStorage(sim, asyncCall);
  const req = createRequest(sim);
  const misc = createMisc(sim, asyncCall);
  const cloud = createCloud(sim, asyncCall);
  const framework = createFramework(sim, modules);

  if (opts.storage) {
    for (const k of Object.keys(opts.storage)) storage.setStorageSync(k, opts.storage[k]);
  }

  // The wx object: every API a context function wrapping the host one.
  const wx = new realm.Object();
  const hostApis = Object.assign({}, storage, misc, { request: req.request });
  // wx.getRandomValues came with base library 2.15.0: an older sdkVersion has none.
  if (olderThan(opts.sdkVersion || '3.6.0', '2.15.0')) delete hostApis.getRandomValues;
  for (const name of Object.keys(hostApis)) wx[name] = realm.fn(hostApis[name], name);
  wx.cloud = new realm.Object();
  wx.cloud.init = realm.fn(cloud.api.init, 'init');
  wx.cloud.callFunction = realm.fn(cloud.api.callFunction, 'callFunction');
  define('wx', wx);
  define('WXWebAssembly', createWXWebAssembly(sim));
  for (const name of Object.keys(framework.api)) define(name, realm.fn(framework.api[name], name));

  const mp = {
    global: realm.global,
    wx,
    storage: sim.storage,
    logs: sim.logs,
    errors: sim.errors,
    toasts: sim.toasts,
    ui: sim.ui,
    navigations: sim.navigations,
    requests: sim.requests,
    pages: sim.pages,
    components: sim.components,
    behaviors: sim.behaviors,
    get app() { return sim.app; },
    get modalAnswer() { return sim.modalAnswer; },
    set modalAnswer(v) { sim.modalAnswer = v; },
    get cloudInits() { return sim.cloudInits; },
    cloudContext: cloud.cloudContext,
    mode: sim.mode,
    root: sim.root,
    realm,

    /** Require a package file: '/utils/x.js' or 'utils/x.js'. */
    require: (p) => modules.requireFromRoot(p),
    /** Run a script in the context (compiled by the host). */
    run: (code, filename) => run(code, filename || 'mp-run.js'),
    launch: (o) => framework.launch(o),
    openPage: (r, q) => framework.openPage(r, q),

    /**
     * Resolves when nothing is in flight: no wx.request (running or queued),
     * getRandomValues, callFunction, WXWebAssembly.instantiate or other async
     * API, and no zero-delay timer left (so old-iOS promise chains, which are
     * setTimeout(0) chains, finish too). Intervals and longer timers are
     * not waited for. Gives up after `limitMs` (default 10 s) with an Error.
     */
    pending(limitMs = 10000) {
      const started = Date.now();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (sim.disposed) return resolve();
          if (sim.ops.size === 0 && sim.dueTimers() === 0) {
            // One more turn, for microtasks queued by the last callbacks.
            return setImmediate(() => (sim.ops.size === 0 && sim.dueTimers() === 0 ? resolve() : setTimeout(check, 1)));
          }
          if (Date.now() - started > limitMs) {
            return reject(new Error(`mp.pending(): still busy after ${limitMs} ms: ${[...sim.ops].map((o) => o.name).join(', ')}`));
          }
          setTimeout(check, 2);
        };
        check();
      });
    },

    /** Abort in-flight requests and clear every timer, so the test can exit. */
    dispose() {
      if (sim.disposed) return;
      sim.disposed = true;
      req.dispose();
      sim.clearTimers();
      for (const t of sim.cloudTimers) clearTimeout(t);
      sim.cloudTimers.clear();
      sim.ops.clear();
    },
  };
  return mp;
}

module.exports = { createMiniProgram, wasmFeatures };
