'use strict';
// The mini-program JavaScript context: a vm context shaped like the
// WeChat logic layer (what exists, what does not, and how eval behaves),
// plus "realm" helpers so values handed to mini-program code are made in
// ITS realm (instanceof Object / Array / ArrayBuffer behave as on a phone).

const vm = require('vm');
const util = require('util');
const { promiseFactory } = require('./promise-ios.js');

// Globals a phone does not have. V8 gives every vm context WebAssembly,
// SharedArrayBuffer and Atomics (ES / engine built-ins), so they are deleted
// explicitly; the others never exist in a vm context but are deleted anyway
// so a future Node cannot leak them in.
const ABSENT = [
  'WebAssembly', 'TextEncoder', 'TextDecoder', 'fetch', 'XMLHttpRequest', 'process', 'Buffer',
  'crypto', 'window', 'document', 'self', 'require', 'module', 'exports', 'queueMicrotask',
  'setImmediate', 'clearImmediate', 'structuredClone', 'atob', 'btoa', 'SharedArrayBuffer', 'Atomics',
  '__dirname', '__filename', 'navigator', 'location', 'localStorage', 'performance',
];

const NO_BIGINT = ['BigInt', 'BigInt64Array', 'BigUint64Array'];

// Compiled inside the context: the Function constructor WeChat leaves you.
// Only `new Function('return this')` (or without `new`) works; everything
// else goes to the real constructor, which throws EvalError because the
// context has code generation from strings turned off.
const FUNCTION_WRAPPER = `(function (G) {
  var RealFunction = G.Function;
  var slice = Array.prototype.slice;
  function Function() {
    if (arguments.length === 1 && arguments[0] === 'return this') {
      return function () { return this; }; // sloppy mode: called bare, this is the global
    }
    return RealFunction.apply(this, slice.call(arguments));
  }
  Function.prototype = RealFunction.prototype;
  Object.defineProperty(RealFunction.prototype, 'constructor', { value: Function, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(G, 'Function', { value: Function, writable: true, configurable: true, enumerable: false });
})`;

// Compiled inside the context: a console whose methods are context functions.
const CONSOLE_FACTORY = `(function (sink) {
  var c = {};
  ['log', 'info', 'warn', 'error', 'debug', 'trace', 'group', 'groupCollapsed', 'groupEnd', 'table', 'dir', 'time', 'timeEnd', 'assert'].forEach(function (level) {
    c[level] = function () { sink(level, Array.prototype.slice.call(arguments)); };
  });
  return c;
})`;

// Compiled inside the context: wraps a host function in a context function,
// so `wx.request instanceof Function` and friends hold inside.
const WRAP_FACTORY = `(function (hostFn, name) {
  var f = function () { return hostFn.apply(this, arguments); };
  Object.defineProperty(f, 'name', { value: name, configurable: true });
  return f;
})`;

function createContext(sim) {
  const { mode } = sim;
  const ctx = vm.createContext({}, {
    name: 'mini-program',
    codeGeneration: { strings: false, wasm: true },
  });
  const run = (code, filename) => new vm.Script(code, { filename: filename || 'simulator-internal.js' }).runInContext(ctx);

  // Capture the context's own intrinsics before any mini-program code runs.
  const intr = run('({ Object: Object, Array: Array, ArrayBuffer: ArrayBuffer, Uint8Array: Uint8Array, Error: Error, TypeError: TypeError, RangeError: RangeError, EvalError: EvalError, JSON: JSON, Promise: Promise, WebAssembly: WebAssembly, global: globalThis })');
  const G = intr.global;
  const wrapFactory = run(WRAP_FACTORY);

  const realm = {
    global: G,
    Object: intr.Object,
    Array: intr.Array,
    ArrayBuffer: intr.ArrayBuffer,
    Uint8Array: intr.Uint8Array,
    Error: intr.Error,
    TypeError: intr.TypeError,
    RangeError: intr.RangeError,
    WebAssembly: intr.WebAssembly, // the context's own; deleted from the global below
    Promise: intr.Promise, // replaced in old-iOS mode
    run,
    /** JSON.parse of the context: the result lives in the context realm. */
    parse: (text) => intr.JSON.parse(text),
    /** A JSON clone of any value, made in the context realm. */
    jsonClone: (value) => {
      const text = JSON.stringify(value);
      return text === undefined ? undefined : intr.JSON.parse(text);
    },
    /**
     * Wrap a host function as a context function. Errors the host code
     * throws are re-made as context errors, so no host object (and through
     * its constructor, no host Function) leaks into the mini-program.
     */
    fn: (hostFn, name) => wrapFactory(function wrapped(...args) {
      try {
        return hostFn.apply(this, args);
      } catch (e) {
        throw realm.contextError(e);
      }
    }, name || hostFn.name || ''),
    /** Copy host bytes into a new ArrayBuffer of the context realm. */
    arrayBuffer: (bytes) => {
      const ab = new intr.ArrayBuffer(bytes.byteLength);
      new intr.Uint8Array(ab).set(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
      return ab;
    },
    toContext: null, // set below
  };

  const ctxProtos = new Set([intr.Object.prototype, intr.Array.prototype, intr.ArrayBuffer.prototype]);
  // Convert plain host data (objects, arrays, ArrayBuffers, Buffers) into the
  // context realm. Context objects and functions pass through unchanged.
  realm.toContext = function toContext(v) {
    if (v === null || typeof v !== 'object') return v;
    const proto = Object.getPrototypeOf(v);
    if (ctxProtos.has(proto)) return v;
    if (v instanceof ArrayBuffer) return realm.arrayBuffer(new Uint8Array(v));
    if (Buffer.isBuffer(v)) return realm.arrayBuffer(v);
    if (Array.isArray(v)) {
      const a = new intr.Array();
      for (const x of v) a.push(toContext(x));
      return a;
    }
    if (proto !== Object.prototype && proto !== null) return v; // e.g. an Error or class instance: leave it
    const o = new intr.Object();
    for (const k of Object.keys(v)) o[k] = toContext(v[k]);
    return o;
  };
  const ctxErrors = run('({ Error: Error, TypeError: TypeError, RangeError: RangeError, SyntaxError: SyntaxError, ReferenceError: ReferenceError, EvalError: EvalError, URIError: URIError })');
  realm.contextError = (e) => {
    if (!(e instanceof Error)) return e; // already a context value (or not an error)
    const C = Object.prototype.hasOwnProperty.call(ctxErrors, e.name) ? ctxErrors[e.name] : ctxErrors.Error;
    const ce = new C(e.message);
    ce.stack = e.stack;
    for (const k of Object.keys(e)) ce[k] = realm.toContext(e[k]);
    return ce;
  };
  realm.error = (Ctor, message, props) => {
    const e = new Ctor(message);
    if (props) Object.assign(e, props);
    return e;
  };

  const define = (name, value) => Object.defineProperty(G, name, { value, writable: true, configurable: true, enumerable: false });

  // --- what must not exist -------------------------------------------------
  for (const name of ABSENT) delete G[name];
  if (mode.noBigInt) {
    for (const name of NO_BIGINT) delete G[name];
    // Engines without BigInt have no 64-bit DataView accessors either.
    const dv = G.DataView.prototype;
    for (const m of ['getBigInt64', 'setBigInt64', 'getBigUint64', 'setBigUint64']) delete dv[m];
  }

  // --- eval / Function -----------------------------------------------------
  run(FUNCTION_WRAPPER)(G);

  // --- global / globalThis -------------------------------------------------
  define('global', G);

  // --- console -------------------------------------------------------------
  const sink = (level, args) => {
    const text = util.format(...args);
    sim.logs.push({ level, args, text });
    if (sim.options.verbose) console.log(`[mp ${level}] ${text}`);
  };
  define('console', run(CONSOLE_FACTORY)(sink));

  // --- timers --------------------------------------------------------------
  // Host timers behind numeric ids (phones return numbers). Every one is
  // tracked so dispose() can clear them; errors in callbacks are recorded in
  // sim.errors instead of crashing the host.
  const timers = new Map();
  let nextTimerId = 1;
  const addTimer = (fn, delay, repeat, args) => {
    if (typeof fn !== 'function') throw realm.error(realm.TypeError, 'The callback provided as parameter 1 is not a function.');
    if (sim.disposed) return 0;
    const id = nextTimerId++;
    const ms = Math.max(0, Number(delay) || 0);
    const tick = () => {
      if (!repeat) timers.delete(id);
      try {
        fn.apply(undefined, args);
      } catch (e) {
        sim.report(e, repeat ? 'setInterval callback' : 'setTimeout callback');
      }
    };
    const handle = repeat ? setInterval(tick, ms) : setTimeout(tick, ms);
    timers.set(id, { handle, repeat, ms });
    return id;
  };
  const clearTimer = (id) => {
    const t = timers.get(id);
    if (!t) return;
    timers.delete(id);
    if (t.repeat) clearInterval(t.handle); else clearTimeout(t.handle);
  };
  define('setTimeout', realm.fn((fn, delay, ...args) => addTimer(fn, delay, false, args), 'setTimeout'));
  define('setInterval', realm.fn((fn, delay, ...args) => addTimer(fn, delay, true, args), 'setInterval'));
  define('clearTimeout', realm.fn((id) => clearTimer(id), 'clearTimeout'));
  define('clearInterval', realm.fn((id) => clearTimer(id), 'clearInterval'));

  /** Run fn on a later macrotask of the context (what API callbacks use). */
  sim.macrotask = (fn) => addTimer(fn, 0, false, []);
  /** Number of not-yet-fired one-shot timers due "now" (for mp.pending()). */
  sim.dueTimers = () => {
    let n = 0;
    for (const t of timers.values()) if (!t.repeat && t.ms <= 1) n++;
    return n;
  };
  sim.clearTimers = () => { for (const id of [...timers.keys()]) clearTimer(id); };

  // --- modes ---------------------------------------------------------------
  if (mode.oldIosPromise) {
    const schedule = realm.fn((fn) => { addTimer(fn, 0, false, []); }, 'schedule');
    realm.Promise = run(`(${promiseFactory.toString()})`, 'promise-ios.js')(schedule);
    define('Promise', realm.Promise);
  }
  if (mode.mathRandomThrows) {
    run(`Math.random = function random() { throw new Error('Math.random is not allowed'); };`);
  }

  return { ctx, realm, define, run };
}

module.exports = { createContext, ABSENT, NO_BIGINT };
