// @ts-check
// zhenzisms_vendor.js — `client`, the drop-in for the vendor's utils/zhenzisms.js: every call
// form of versions A–E (docs/zhenzi-api.md), in direct mode (appSecret in the package, requests
// through the relay) or cloud mode (initCloud: a cloud function holds the secret).
//
// Every callback is called exactly once with a wx.request-like result whose `data` is always
// {code, data}. A call may instead carry wx-style success/fail/complete in its options object.
// Every call returns a Promise of that result; a call with no callback at all (not even null)
// is the Promise form: it rejects with the ZhenziError when the call fails.
'use strict';

// `kit`: what the SDK hands its parts (zhenzisms_client.js); `codes`: zhenzisms_codes.js.
function createVendorClient(kit, codes) {
  // The kit's parts as locals (a minifier shortens a local, never a property: the phone pays
  // for every byte).
  var platform = kit.platform;
  var ZhenziError = kit.ZhenziError;
  var callOnce = kit.callOnce;
  var ready = kit.ready;
  var vendorResult = kit.vendorResult;
  var warn = kit.warn;
  var prefetch = kit.prefetch;
  var failure = kit.failure;
  var mode = null; // 'direct' | 'cloud'
  var store = codes.storageStore(platform.storage); // direct mode's code record
  var direct = {};
  var cloud = {};
  var options = { timeoutMs: undefined, retries: undefined, relayUrl: undefined, route: undefined, codePolicy: {} };

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
      var text = kit.safeJson(c.args);
      if (text === null) throw 0;
      c.args = JSON.parse(text || '[]');
    } catch (e) {
      c.bad = 'the arguments cannot be read as JSON'; // a cycle, a throwing getter…
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
    return pending.then(null, failure).then(function (res) {
      callOnce(c.cb, res);
      if (c.hooks) {
        callOnce(res.error ? c.hooks.fail : c.hooks.success, res);
        callOnce(c.hooks.complete, res);
      }
      if (c.bare && res.error) throw res.error;
      return res;
    });
  }

  // What a failed wx.cloud.callFunction (or anything thrown) says.
  function why(e) {
    return String(e && e.errMsg || e && e.message || e);
  }

  // A cloud reply must be an object with a string code; anything else is a failed call.
  function checked(reply) {
    if (!reply || typeof reply.code !== 'string') throw new Error('unexpected cloud reply');
    return reply;
  }

  // A failure decided before anything was sent (bad input, cooldown…), as a vendor result.
  function refused(code, detail) {
    return kit.load().then(function (core) {
      return vendorResult(core.errorInfo(code, detail));
    }, failure);
  }

  function errorOf(code, detail) {
    return new ZhenziError(kit.errorInfo(code, detail));
  }

  // Runs a synchronous helper on the page's arguments: anything but a ZhenziError it throws
  // (String() of a Symbol, a throwing toString…) is bad input, 100.
  function typed(f) {
    try {
      return f();
    } catch (e) {
      throw e instanceof ZhenziError ? e : errorOf(100, 'the arguments cannot be read: ' + (e && e.message || e));
    }
  }

  function runDirect(op, params) {
    return kit.call(config(), op, params, options, 'vendor').then(vendorResult);
  }

  // Cloud replies follow the vendor's cloud function: {code, data} for Zhenzi calls,
  // {code: 'success' | 'smsError' | 'intervalError', msg} for sendCode. A refusal's `data` (or
  // `msg`) is the function's own sentence saying why, in Chinese: it goes to res.data.data,
  // where vendor pages look.
  function runCloud(op, params) {
    var data = Object.assign({ $url: op }, params);
    return platform.cloudCall(cloud.name, data, cloud.env).then(function (result) {
      result = result || {};
      var err = result.error || null;
      var vendor = { code: result.code, data: result.data === undefined ? result.msg : result.data };
      if (op === 'sendCode') {
        var ok = result.code === 'success';
        vendor = { code: ok ? 0 : err ? err.code : result.code === 'intervalError' ? 9201 : 1000, data: result.msg };
      }
      var res = { data: vendor, statusCode: 200, header: {}, errMsg: 'cloud.callFunction:ok' };
      if (vendor.code !== 0) res.error = new ZhenziError(err || { code: vendor.code, reason: String(vendor.data), message: String(vendor.data) });
      return res;
    }, function (e) {
      return refused(9105, why(e)).then(function (res) {
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
      return kit.core().codeIssue({ number: String(number || ''), now: kit.now(), key: '', policy: policy, previous: store.load() }, kit.entropy(codes.ENTROPY_BYTES));
    });
  }

  function sendCodeDirect(p) {
    return ready().then(function () {
      var issued = issueHere(p.number, p.length, p.seconds);
      if (issued.err) return vendorResult(issued);
      // The core fills the code in (message or template) and decides which send it is.
      return kit.call(config(), 'send', Object.assign({}, p, { code: issued.ok.code }), options, 'vendor').then(function (outcome) {
        if (!outcome.err) store.save(issued.ok.record); // a failed send starts no cooldown
        return vendorResult(outcome);
      });
    });
  }

  function verifyDirect(number, code) {
    var record = store.load();
    if (number === undefined) number = record ? record.number : '';
    var r = typed(function () {
      return kit.core().codeVerify({ number: String(number), code: String(code), now: kit.now(), key: '', record: record }).ok;
    });
    if (r.record) store.save(r.record);
    return r.result;
  }

  // Cloud mode's check: → {result, verified?}; `verified` {token, expiresAt} is the function's
  // signed proof for the page to hand on (a sign-in function checks it).
  function verifyCloud(number, code) {
    return ready().then(function () {
      return platform.cloudCall(cloud.name, typed(function () {
        return { $url: 'validateCode', number: String(number), code: String(code) };
      }), cloud.env);
    }).then(checked).then(function (reply) {
      var r = { result: reply.code === 'success' ? 'ok' : reply.code };
      if (reply.verified) r.verified = reply.verified;
      return r;
    });
  }

  // Either mode's asynchronous check: → {result, verified?}; rejects a ZhenziError (9105)
  // when the check itself failed.
  function check(number, code) {
    return (mode === 'cloud' ? verifyCloud(number, code) : ready().then(function () {
      return { result: verifyDirect(number, code) };
    })).then(null, function (e) {
      throw e instanceof ZhenziError ? e : errorOf(9105, why(e));
    });
  }

  // The one-tap answer made here, without the cloud function: SMS is the way on.
  function noTap(code, why) {
    return Promise.resolve({ code: code, fallback: 'sms', msg: why + '，请用短信验证码验证' });
  }

  // 手机号快速验证 / 实时验证: the button's event → the cloud function exchanges its code.
  function verifyPhone(e) {
    var detail = e && e.detail || {};
    var said = String(detail.errMsg || '');
    if (/deny|cancel/.test(said)) return noTap('user_deny', '未授权手机号');
    if (/fail/.test(said)) return noTap('no_permission', '小程序无手机号快速验证权限');
    if (!detail.code) return noTap('no_code', '微信版本过低（基础库须 ≥ 2.21.2）');
    if (mode !== 'cloud') return noTap('not_cloud', '快速验证需云函数（initCloud）');
    return platform.cloudCall(cloud.name, { $url: 'phoneNumber', code: String(detail.code) }, cloud.env).then(checked).then(null, function (x) {
      return refused(9105, why(x)).then(function (res) {
        return { code: 'error', fallback: 'sms', msg: res.error.reason + '，请用短信验证码验证', error: res.error };
      });
    });
  }

  return {
    // Vendor A: the mini-program holds the secret. Prefer initCloud in production.
    init: function (apiUrl, appId, appSecret) {
      mode = 'direct';
      direct = { apiUrl: apiUrl, appId: appId, appSecret: appSecret }; // a numeric appId is fine (core)
      warn('直连模式的 appSecret 在包内，谁都能读到：正式环境请用 client.initCloud({name})');
      prefetch();
    },
    // Cloud mode: the same calls, carried by wx.cloud.callFunction to a function holding the secret.
    initCloud: function (opts) {
      mode = 'cloud';
      cloud = { name: opts && opts.name || 'zhenzisms', env: opts && opts.env };
      prefetch();
    },
    // {relayUrl, wasmPath, timeoutMs, retries, route, codePolicy: {cooldownMs, dailyCap, maxAttempts}}
    configure: function (o) {
      ['relayUrl', 'timeoutMs', 'retries', 'route', 'codePolicy'].forEach(function (k) {
        if (o[k] !== undefined) options[k] = o[k];
      });
      kit.setWasmPath(o.wasmPath);
    },
    ready: ready,
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
      if (issued.err) throw new ZhenziError(issued.err);
      store.save(issued.ok.record);
      return issued.ok.code;
    },

    // verifyPhoneNumber(cb?, e): the getPhoneNumber / getRealtimePhoneNumber button's event as
    // it comes → cb(answer) once, and a Promise that resolves to the same answer (a failure is
    // an answer with fallback: 'sms', never a rejection): {code: 'success', number, verified,
    // msg} or {code, msg, fallback?, error?}. A deny, no permission, no code (base library
    // < 2.21.2) or direct mode answer here, without calling the function.
    verifyPhoneNumber: function (cb, e) {
      if (typeof cb !== 'function') e = cb;
      var pending;
      try {
        pending = verifyPhone(e);
      } catch (x) {
        pending = noTap('no_code', String(x));
      }
      return pending.then(function (answer) {
        if (typeof cb === 'function') callOnce(cb, answer);
        return answer;
      });
    },

    // validateCode(number, code) → 'ok' | 'empty' | 'number_error' | 'code_error' | 'code_expired'
    //   | 'code_used' | 'too_many_attempts' (C, D, E; direct mode: synchronous)
    // validateCode(code) → 'ok' | 'error' | 'expired' (B)
    //   In cloud mode both answer at once 'not_checked' (B: 'error') without spending the code:
    //   a cloud check is asynchronous, and a Promise in their place would read as a failure
    //   after the code was used up. A development build says which form to use.
    // validateCode(cb, number, code) → cb(result, verified?) once, and a Promise of result
    //   (both modes); if the check itself fails (cloud unreachable), cb(null, error) and the
    //   Promise rejects. validateCode({number, code}) → a Promise of {result, verified?}.
    //   `verified` {token, expiresAt}: cloud mode's signed proof of the check.
    validateCode: function (first) {
      var a = Array.prototype.slice.call(arguments);
      if (a.length === 1 && first && typeof first === 'object') {
        return ready().then(function () {
          return typed(function () {
            return [first.number, first.code];
          });
        }).then(function (n) {
          return check(n[0], n[1]);
        });
      }
      if (typeof first !== 'function') {
        if (mode === 'cloud') {
          warn('云模式不能同步校验，返回 not_checked：请用 validateCode(function (result, verified) {…}, number, code) 或 validateCode({number, code})', true);
          return a.length === 1 ? 'error' : 'not_checked';
        }
        return a.length === 1 ? codes.vendorBResult(verifyDirect(undefined, a[0])) : verifyDirect(a[0], a[1]);
      }
      return check(a[1], a[2]).then(function (r) {
        callOnce(first, r.result, r.verified);
        return r.result;
      }, function (error) {
        callOnce(first, null, error);
        throw error;
      });
    }
  };
}

module.exports = { createVendorClient: createVendorClient };
