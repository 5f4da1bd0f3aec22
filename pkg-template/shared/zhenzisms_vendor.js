// @ts-check
// zhenzisms_vendor.js — `client`, the drop-in for the vendor's utils/zhenzisms.js: every call
// form of versions A–E (ZHENZI-API.md), in direct mode (appSecret in the package, requests
// through the relay) or cloud mode (initCloud: a cloud function holds the secret).
//
// Every callback is called exactly once with a wx.request-like result whose `data` is always
// {code, data}; every call also returns a Promise of that result.
'use strict';

function createVendorClient(sdk, codes) {
  var platform = sdk._platform;
  var mode = null; // 'direct' | 'cloud'
  var direct = {};
  var cloud = {};
  var options = { timeoutMs: undefined, retries: 0, relayUrl: undefined, route: undefined, codePolicy: {} };
  var warned = false;

  function config() {
    return {
      route: options.route || platform.route,
      apiUrl: direct.apiUrl,
      relayUrl: options.relayUrl,
      appId: direct.appId,
      appSecret: direct.appSecret
    };
  }

  // (cb, a, b…) or (a, b…) without a callback: returns [cb, [a, b…]].
  function splitCallback(args) {
    args = Array.prototype.slice.call(args);
    if (typeof args[0] === 'function' || args[0] === null || args[0] === undefined) return [args[0], args.slice(1)];
    return [null, args];
  }

  function finish(cb, res) {
    sdk._callOnce(cb, res);
    return res;
  }

  // A failure decided before anything was sent (bad input, cooldown…), as a vendor result.
  function refused(code, detail) {
    return sdk._load().then(function (core) {
      return sdk._vendorResult(JSON.parse(core.errorInfo(code, detail)));
    });
  }

  function errorOf(code, detail) {
    return new sdk.ZhenziError(sdk._errorInfo(code, detail));
  }

  function runDirect(op, params) {
    return sdk._call(config(), op, params, options).then(sdk._vendorResult);
  }

  // Cloud replies follow the vendor's cloud function: {code, data} for Zhenzi calls,
  // {code: 'success' | 'smsError' | 'intervalError', msg} for sendCode.
  function runCloud(op, params) {
    var data = Object.assign({ $url: op === 'sendTemplate' ? 'send' : op }, params);
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

  function run(op, params, cb) {
    var pending = mode === 'cloud' ? runCloud(op, params) : runDirect(op, params);
    return pending.then(function (res) {
      return finish(cb, res);
    });
  }

  function sendCodeDirect(p) {
    return sdk.ready().then(function () {
      var core = sdk._core();
      var store = codes.storageStore(platform.storage);
      /** @type {any} */
      var policy = Object.assign({}, options.codePolicy);
      if (p.seconds) policy.seconds = Number(p.seconds);
      if (p.length) policy.length = Number(p.length);
      var issued = codes.issue(core, { number: String(p.number || ''), now: Date.now(), policy: policy, previous: store.load() }, sdk._takeEntropy(codes.ENTROPY_BYTES));
      if (issued.err) return sdk._vendorResult(issued);
      var call = codes.fill(p, issued.ok.code);
      if (!call) return refused(100, 'message must contain {code}, or use a templateId');
      return sdk._call(config(), call[0], call[1], options).then(function (outcome) {
        if (!outcome.err) store.save(issued.ok.record); // a failed send starts no cooldown
        return sdk._vendorResult(outcome);
      });
    }, function (e) {
      return sdk._vendorResult({ err: e, vendor: { code: e.code, data: e.reason } });
    });
  }

  function verifyDirect(number, code) {
    var store = codes.storageStore(platform.storage);
    var record = store.load();
    if (number === undefined) number = record ? record.number : '';
    var r = codes.verify(sdk._core(), { number: String(number), code: String(code), now: Date.now(), record: record }).ok;
    if (r.record) store.save(r.record);
    return r.result;
  }

  function verifyCloud(number, code) {
    return sdk.ready().then(function () {
      return platform.cloudCall(cloud.name, { $url: 'validateCode', number: String(number), code: String(code) }, cloud.env);
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
      if (!warned && platform.isDevelopment && platform.isDevelopment()) {
        warned = true;
        console.warn('[zhenzisms] direct mode: appSecret is inside the mini-program package, where anyone can read it. Use client.initCloud({name}) in production.');
      }
      sdk._load().catch(function () {});
    },
    // Cloud mode: the same calls, carried by wx.cloud.callFunction to a function holding the secret.
    initCloud: function (opts) {
      mode = 'cloud';
      cloud = { name: opts && opts.name || 'zhenzisms', env: opts && opts.env };
      sdk._load().catch(function () {});
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
    send: function () {
      var s = splitCallback(arguments);
      var a = s[1][0];
      if (a && typeof a === 'object') {
        var template = a.templateId !== undefined && a.templateId !== '';
        return run(template ? 'sendTemplate' : 'send', a, s[0]);
      }
      return run('send', { number: s[1][0], message: s[1][1], messageId: s[1][2] }, s[0]);
    },
    balance: function (cb) {
      return run('balance', {}, cb);
    },
    findSmsByMessageId: function () {
      var s = splitCallback(arguments);
      return run('findSmsByMessageId', { messageId: s[1][0] }, s[0]);
    },

    // sendCode(cb, number, message, messageId, seconds, length) (B, C) or
    // sendCode(cb, {number, message | templateId + templateParams, seconds, length, messageId?, clientIp?}) (D, E)
    sendCode: function () {
      var s = splitCallback(arguments);
      var a = s[1];
      var p = a[0] && typeof a[0] === 'object' ? a[0] : { number: a[0], message: a[1], messageId: a[2], seconds: a[3], length: a[4] };
      var pending = mode === 'cloud' ? runCloud('sendCode', p) : sendCodeDirect(p);
      return pending.then(function (res) {
        return finish(s[0], res);
      });
    },

    // E: a code for the page to send itself (direct mode only: cloud mode never lets a code
    // reach the phone). Synchronous: call after client.ready().
    createCode: function (length, seconds, number) {
      if (mode === 'cloud') {
        throw errorOf(9001, 'createCode is not available in cloud mode (the code must not reach the phone): use sendCode');
      }
      var store = codes.storageStore(platform.storage);
      /** @type {any} */
      var policy = Object.assign({}, options.codePolicy, { cooldownMs: 0 });
      if (length) policy.length = Number(length);
      if (seconds) policy.seconds = Number(seconds);
      var issued = codes.issue(sdk._core(), { number: String(number || ''), now: Date.now(), policy: policy, previous: store.load() }, sdk._takeEntropy(codes.ENTROPY_BYTES));
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
        if (mode === 'cloud') return verifyCloud(a[0], a[1]);
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
