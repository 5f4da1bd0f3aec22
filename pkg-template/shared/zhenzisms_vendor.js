// @ts-check
// zhenzisms_vendor.js — `client`, the drop-in for the vendor's utils/zhenzisms.js: every call
// form of versions A–E (ZHENZI-API.md), in direct mode (appSecret in the package, requests
// through the relay) or cloud mode (initCloud: a cloud function holds the secret).
//
// Every callback is called exactly once with a wx.request-like result whose `data` is always
// {code, data}. A call may instead carry wx-style success/fail/complete in its options object.
// Every call returns a Promise of that result; a call with no callback at all (not even null)
// is the Promise form: it rejects with the ZhenziError when the call fails.
'use strict';

function createVendorClient(sdk, codes) {
  var platform = sdk._platform;
  var mode = null; // 'direct' | 'cloud'
  var store = codes.storageStore(platform.storage); // direct mode's code record
  var direct = {};
  var cloud = {};
  var options = { timeoutMs: undefined, retries: 0, relayUrl: undefined, route: undefined, codePolicy: {} };

  function config() {
    return {
      route: options.route || platform.route,
      apiUrl: direct.apiUrl,
      relayUrl: options.relayUrl,
      appId: direct.appId,
      appSecret: direct.appSecret
    };
  }

  // (cb, a, b…), (null, a, b…) or (a, b…) without a callback. The arguments are read once,
  // as JSON (a BigInt as its digits), so a throwing getter, a cycle or a later change by the
  // page cannot reach the call: unreadable arguments are refused with 100.
  // → {cb, hooks: {success, fail, complete} | null, bare: no callback at all, args, bad}
  function split(list) {
    list = Array.prototype.slice.call(list);
    var c = { cb: null, hooks: null, bare: false, args: list, bad: '' };
    if (typeof list[0] === 'function' || list[0] === null || list[0] === undefined && list.length > 1) {
      c.cb = list[0];
      c.args = list.slice(1);
    }
    try {
      var o = c.args[0];
      if (o && typeof o === 'object' && ['success', 'fail', 'complete'].some(function (k) {
        return typeof o[k] === 'function';
      })) c.hooks = { success: o.success, fail: o.fail, complete: o.complete };
      var text = sdk._safeJson(c.args);
      if (text === null) throw 0;
      c.args = JSON.parse(text || '[]');
    } catch (e) {
      c.bad = 'the arguments cannot be read as JSON (a cycle, a throwing getter…)';
    }
    c.bare = c.cb === null && list[0] !== null && !c.hooks;
    return c;
  }

  // Runs `work(args)` (a Promise of a vendor result) for a call split by `split`, and answers
  // it: the callback once, success or fail then complete once, and the Promise. Whatever goes
  // wrong inside becomes a typed result, never an exception that skips the callback.
  function answer(c, work) {
    var pending;
    try {
      pending = c.bad ? refused(100, c.bad) : Promise.resolve(work(c.args));
    } catch (e) {
      pending = Promise.reject(e);
    }
    return pending.then(null, sdk._failure).then(function (res) {
      sdk._callOnce(c.cb, res);
      if (c.hooks) {
        sdk._callOnce(res.error ? c.hooks.fail : c.hooks.success, res);
        sdk._callOnce(c.hooks.complete, res);
      }
      if (c.bare && res.error) throw res.error;
      return res;
    });
  }

  // A failure decided before anything was sent (bad input, cooldown…), as a vendor result.
  function refused(code, detail) {
    return sdk._load().then(function (core) {
      return sdk._vendorResult(JSON.parse(core.errorInfo(code, detail)));
    }, sdk._failure);
  }

  function errorOf(code, detail) {
    return new sdk.ZhenziError(sdk._errorInfo(code, detail));
  }

  // Runs a synchronous helper on the page's arguments: anything but a ZhenziError it throws
  // (String() of a Symbol, a throwing toString…) is bad input, 100.
  function typed(f) {
    try {
      return f();
    } catch (e) {
      throw e instanceof sdk.ZhenziError ? e : errorOf(100, 'the arguments cannot be read: ' + (e && e.message || e));
    }
  }

  function runDirect(op, params) {
    return sdk._call(config(), op, params, options).then(sdk._vendorResult);
  }

  // Cloud replies follow the vendor's cloud function: {code, data} for Zhenzi calls,
  // {code: 'success' | 'smsError' | 'intervalError', msg} for sendCode.
  function runCloud(op, params) {
    var data = Object.assign({ $url: op }, params);
    return platform.cloudCall(cloud.name, data, cloud.env).then(function (result) {
      result = result || {};
      var err = result.error || null;
      var vendor = { code: result.code, data: result.data };
      if (op === 'sendCode') {
        var ok = result.code === 'success';
        vendor = { code: ok ? 0 : err ? err.code : result.code === 'intervalError' ? 9201 : 1000, data: result.msg };
      }
      var res = { data: vendor, statusCode: 200, header: {}, errMsg: 'cloud.callFunction:ok' };
      if (vendor.code !== 0) res.error = new sdk.ZhenziError(err || { code: vendor.code, reason: String(vendor.data), message: String(vendor.data) });
      return res;
    }, function (e) {
      return refused(9105, String(e && e.errMsg || e && e.message || e)).then(function (res) {
        res.errMsg = 'cloud.callFunction:fail';
        return res;
      });
    });
  }

  function run(op, params) {
    return mode === 'cloud' ? runCloud(op, params) : runDirect(op, params);
  }

  // A code made on the phone (direct mode) for `number`, with the page's length and seconds
  // over codePolicy and `extra`: {ok: {code, record}} or {err}. Hashed with
  // key '' given on purpose: a phone has no secret (anything in the package is readable), and
  // the record stays in its own storage; the core refuses a missing key, so only this '' gets
  // there. Whatever the page's values throw is bad input (100).
  function issueHere(number, length, seconds, extra) {
    return typed(function () {
      /** @type {any} */
      var policy = Object.assign({}, options.codePolicy, extra);
      if (length) policy.length = Number(length);
      if (seconds) policy.seconds = Number(seconds);
      return codes.issue(sdk._core(), { number: String(number || ''), now: Date.now(), key: '', policy: policy, previous: store.load() }, sdk._takeEntropy(codes.ENTROPY_BYTES));
    });
  }

  function sendCodeDirect(p) {
    return sdk.ready().then(function () {
      var issued = issueHere(p.number, p.length, p.seconds);
      if (issued.err) return sdk._vendorResult(issued);
      // The core fills the code in (message or template) and decides which send it is.
      return sdk._call(config(), 'send', Object.assign({}, p, { code: issued.ok.code }), options).then(function (outcome) {
        if (!outcome.err) store.save(issued.ok.record); // a failed send starts no cooldown
        return sdk._vendorResult(outcome);
      });
    });
  }

  function verifyDirect(number, code) {
    var record = store.load();
    if (number === undefined) number = record ? record.number : '';
    var r = typed(function () {
      return codes.verify(sdk._core(), { number: String(number), code: String(code), now: Date.now(), key: '', record: record }).ok;
    });
    if (r.record) store.save(r.record);
    return r.result;
  }

  function verifyCloud(number, code) {
    return sdk.ready().then(function () {
      return platform.cloudCall(cloud.name, typed(function () {
        return { $url: 'validateCode', number: String(number), code: String(code) };
      }), cloud.env);
    }).then(function (result) {
      if (!result || typeof result.code !== 'string') throw new Error('unexpected cloud reply');
      return result.code === 'success' ? 'ok' : result.code;
    });
  }

  return {
    // Vendor A: the mini-program holds the secret. Prefer initCloud in production.
    init: function (apiUrl, appId, appSecret) {
      mode = 'direct';
      direct = { apiUrl: apiUrl, appId: appId, appSecret: appSecret }; // a numeric appId is fine (core)
      sdk._warn('直连模式的 appSecret 在包内，谁都能读到，正式环境请用 client.initCloud({name}) / direct mode: appSecret is readable in the package; use client.initCloud({name}) in production');
      sdk._prefetch();
    },
    // Cloud mode: the same calls, carried by wx.cloud.callFunction to a function holding the secret.
    initCloud: function (opts) {
      mode = 'cloud';
      cloud = { name: opts && opts.name || 'zhenzisms', env: opts && opts.env };
      sdk._prefetch();
    },
    // {relayUrl, wasmPath, timeoutMs, retries, route, codePolicy: {cooldownMs, dailyCap, maxAttempts}}
    configure: function (o) {
      ['relayUrl', 'timeoutMs', 'retries', 'route', 'codePolicy'].forEach(function (k) {
        if (o[k] !== undefined) options[k] = o[k];
      });
      sdk.configure(o);
    },
    ready: sdk.ready,
    toString: function () {
      return '[zhenzisms client ' + (mode || 'not initialised') + ']';
    },
    toJSON: function () {
      return { mode: mode, appId: direct.appId };
    },

    // send(cb, number, message, messageId?) | send(cb, {number, message, messageId?, clientIp?})
    // | send(cb, {number, templateId, templateParams, messageId?, clientIp?})
    // (the core decides text or template send: a non-blank templateId)
    send: function () {
      return answer(split(arguments), function (a) {
        return run('send', a[0] && typeof a[0] === 'object' ? a[0] : { number: a[0], message: a[1], messageId: a[2] });
      });
    },
    balance: function () {
      return answer(split(arguments), function () {
        return run('balance', {});
      });
    },
    // findSmsByMessageId(cb, messageId) | findSmsByMessageId({messageId, success…})
    findSmsByMessageId: function () {
      return answer(split(arguments), function (a) {
        return run('findSmsByMessageId', a[0] && typeof a[0] === 'object' ? a[0] : { messageId: a[0] });
      });
    },

    // sendCode(cb, number, message, messageId, seconds, length) (B, C) or
    // sendCode(cb, {number, message | templateId + templateParams, seconds, length, messageId?, clientIp?}) (D, E)
    sendCode: function () {
      return answer(split(arguments), function (a) {
        var p = a[0] && typeof a[0] === 'object' ? a[0] : { number: a[0], message: a[1], messageId: a[2], seconds: a[3], length: a[4] };
        return mode === 'cloud' ? runCloud('sendCode', p) : sendCodeDirect(p);
      });
    },

    // E: a code for the page to send itself (direct mode only: cloud mode never lets a code
    // reach the phone). Synchronous: call after client.ready().
    createCode: function (length, seconds, number) {
      if (mode === 'cloud') {
        throw errorOf(9001, 'createCode is not available in cloud mode (the code must not reach the phone): use sendCode');
      }
      var issued = issueHere(number, length, seconds, { cooldownMs: 0 });
      if (issued.err) throw new sdk.ZhenziError(issued.err);
      store.save(issued.ok.record);
      return issued.ok.code;
    },

    // validateCode(number, code) → 'ok' | 'empty' | 'number_error' | 'code_error' | 'code_expired'
    //   | 'code_used' | 'too_many_attempts' (C, D, E; sync in direct mode)
    // validateCode(code) → 'ok' | 'error' | 'expired' (B)
    // validateCode(cb, number, code) → cb(result) once, and a Promise of it (both modes);
    //   if the check itself fails (cloud unreachable), cb(null, error) and the Promise rejects.
    validateCode: function (first) {
      var a = Array.prototype.slice.call(arguments);
      if (typeof first !== 'function') {
        if (mode === 'cloud') {
          sdk._warn('云模式 validateCode(number, code) 返回 Promise / cloud mode: validateCode(number, code) returns a Promise; use validateCode(function (result) {…}, number, code)');
          return verifyCloud(a[0], a[1]);
        }
        return a.length === 1 ? codes.vendorBResult(verifyDirect(undefined, a[0])) : verifyDirect(a[0], a[1]);
      }
      var pending = mode === 'cloud' ? verifyCloud(a[1], a[2]) : sdk.ready().then(function () {
        return verifyDirect(a[1], a[2]);
      });
      return pending.then(function (result) {
        sdk._callOnce(first, result);
        return result;
      }, function (e) {
        var error = e instanceof sdk.ZhenziError ? e : errorOf(9105, String(e && e.errMsg || e && e.message || e));
        sdk._callOnce(first, null, error);
        throw error;
      });
    }
  };
}

module.exports = { createVendorClient: createVendorClient };
