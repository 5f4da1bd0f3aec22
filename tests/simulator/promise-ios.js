'use strict';
// Old-iOS Promise: on iOS <= 15 the mini-program Promise is a polyfill whose
// `then` callbacks run as setTimeout macrotasks, not microtasks. This is a
// small Promises/A+ implementation with that scheduling.
//
// `promiseFactory` is never called in the host: context.js takes its source
// text (Function.prototype.toString) and compiles it INSIDE the mini-program
// context, so promises, arrays and errors it makes belong to that realm.
// Keep it self-contained: no references to anything outside its body.

function promiseFactory(schedule) {
  var PENDING = 0, FULFILLED = 1, REJECTED = 2;

  function isObj(x) { return x !== null && (typeof x === 'object' || typeof x === 'function'); }

  function Promise(executor) {
    if (!(this instanceof Promise)) throw new TypeError('Promise must be called with new');
    if (typeof executor !== 'function') throw new TypeError('Promise resolver is not a function');
    this._state = PENDING;
    this._value = undefined;
    this._handlers = [];
    var self = this, done = false;
    try {
      executor(function (v) { if (!done) { done = true; resolvePromise(self, v); } },
        function (e) { if (!done) { done = true; settle(self, REJECTED, e); } });
    } catch (e) {
      if (!done) { done = true; settle(self, REJECTED, e); }
    }
  }

  function settle(p, state, value) {
    if (p._state !== PENDING) return;
    p._state = state;
    p._value = value;
    var hs = p._handlers;
    p._handlers = null;
    for (var i = 0; i < hs.length; i++) runHandler(p, hs[i]);
  }

  // Promise resolution procedure (Promises/A+ 2.3). Thenables are followed
  // on a later macrotask, like the polyfills do.
  function resolvePromise(p, x) {
    if (x === p) return settle(p, REJECTED, new TypeError('Chaining cycle detected for promise'));
    if (isObj(x)) {
      var then;
      try { then = x.then; } catch (e) { return settle(p, REJECTED, e); }
      if (typeof then === 'function') {
        var called = false;
        schedule(function () {
          try {
            then.call(x,
              function (y) { if (!called) { called = true; resolvePromise(p, y); } },
              function (r) { if (!called) { called = true; settle(p, REJECTED, r); } });
          } catch (e) {
            if (!called) { called = true; settle(p, REJECTED, e); }
          }
        });
        return;
      }
    }
    settle(p, FULFILLED, x);
  }

  // Each callback gets its own setTimeout(0): the strictest reading of
  // "then runs as a macrotask" (timers already queued run first).
  function runHandler(p, h) {
    schedule(function () {
      var cb = p._state === FULFILLED ? h.onFulfilled : h.onRejected;
      if (typeof cb !== 'function') {
        if (p._state === FULFILLED) resolvePromise(h.promise, p._value);
        else settle(h.promise, REJECTED, p._value);
        return;
      }
      var r;
      try { r = cb(p._value); } catch (e) { settle(h.promise, REJECTED, e); return; }
      resolvePromise(h.promise, r);
    });
  }

  Promise.prototype.then = function (onFulfilled, onRejected) {
    var next = new Promise(function () {});
    var h = { onFulfilled: onFulfilled, onRejected: onRejected, promise: next };
    if (this._state === PENDING) this._handlers.push(h);
    else runHandler(this, h);
    return next;
  };
  Promise.prototype['catch'] = function (onRejected) { return this.then(undefined, onRejected); };
  Promise.prototype['finally'] = function (f) {
    var C = Promise;
    return this.then(
      function (v) { return C.resolve(typeof f === 'function' ? f() : undefined).then(function () { return v; }); },
      function (e) { return C.resolve(typeof f === 'function' ? f() : undefined).then(function () { throw e; }); });
  };

  Promise.resolve = function (v) {
    if (v instanceof Promise) return v;
    return new Promise(function (res) { res(v); });
  };
  Promise.reject = function (e) { return new Promise(function (_, rej) { rej(e); }); };
  Promise.all = function (items) {
    return new Promise(function (res, rej) {
      var arr = Array.prototype.slice.call(items), out = new Array(arr.length), left = arr.length;
      if (left === 0) return res(out);
      arr.forEach(function (it, i) {
        Promise.resolve(it).then(function (v) { out[i] = v; if (--left === 0) res(out); }, rej);
      });
    });
  };
  Promise.race = function (items) {
    return new Promise(function (res, rej) {
      Array.prototype.slice.call(items).forEach(function (it) { Promise.resolve(it).then(res, rej); });
    });
  };
  Promise.allSettled = function (items) {
    return new Promise(function (res) {
      var arr = Array.prototype.slice.call(items), out = new Array(arr.length), left = arr.length;
      if (left === 0) return res(out);
      arr.forEach(function (it, i) {
        Promise.resolve(it).then(
          function (v) { out[i] = { status: 'fulfilled', value: v }; if (--left === 0) res(out); },
          function (e) { out[i] = { status: 'rejected', reason: e }; if (--left === 0) res(out); });
      });
    });
  };
  Object.defineProperty(Promise.prototype, Symbol.toStringTag, { value: 'Promise', configurable: true });
  return Promise;
}

module.exports = { promiseFactory };
