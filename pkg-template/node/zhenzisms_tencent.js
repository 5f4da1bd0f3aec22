// @ts-check
// zhenzisms_tencent.js — Tencent Cloud SMS (SendSms 2021-01-11) for Node: the request is built
// and signed (TC3-HMAC-SHA256) by the Rust core's server module, sent over the Node platform's
// https (keep-alive, timeouts, TLS verification on), and the reply is parsed by the core into
// per-number statuses and errors of the same table as Zhenzi's.
//   const { TencentSmsClient } = require('zhenzisms-wasm');
//   const sms = new TencentSmsClient({ secretId, secretKey, sdkAppId, signName });
//   const { statuses } = await sms.send({ number: '13800138000', templateId: '123456', templateParams: ['4321'] });
'use strict';

var ZhenziError = require('./zhenzisms_client.js').ZhenziError;
var DEFAULT_TIMEOUT_MS = 10000;

// The class over `kit`, what the SDK hands its parts (zhenzisms_client.js): the Node entry
// (zhenzisms.js) makes it, so this file requires nothing of the SDK back.
/** @param {any} kit */
function createTencentClient(kit) {
  // new TencentSmsClient({secretId, secretKey, sessionToken?, sdkAppId, signName, region?,
  // endpoint?, timeoutMs?, now?}). The credentials live in a closure: String(), JSON.stringify()
  // and util.inspect() of a client show the SdkAppId, never a key or token.
  /** @constructor @param {any} options */
  function TencentSmsClient(options) {
    if (!(this instanceof TencentSmsClient)) return new TencentSmsClient(options);
    options = options || {};
    var config = JSON.stringify({
      secretId: options.secretId,
      secretKey: options.secretKey,
      sessionToken: options.sessionToken,
      sdkAppId: options.sdkAppId,
      signName: options.signName,
      region: options.region,
      endpoint: options.endpoint
    });
    var timeoutMs = options.timeoutMs || DEFAULT_TIMEOUT_MS;
    // The clock (ms), for the signature's timestamp; replaceable for tests of clock skew.
    var now = typeof options.now === 'function' ? options.now : kit.now;
    Object.defineProperty(this, 'sdkAppId', { value: String(options.sdkAppId || ''), enumerable: true });

    // send({number | numbers, templateId, templateParams?, sessionContext?, templateParamCount?,
    // verification?}, {timeoutMs?}) → {requestId, statuses: [{number, ok, code, message, serialNo,
    // fee, sessionContext, isoCode, error?}]}; rejects ZhenziError when nothing was accepted.
    // A send is never repeated: once the request may have left, only Tencent knows whether it went out.
    this.send = function (message, callOptions) {
      var ms = (callOptions && callOptions.timeoutMs) || timeoutMs;
      return kit.ready().then(function () {
        var core = kit.core();
        var built = core.tencentBuildRequest(config, JSON.stringify(message || {}), Math.floor(now() / 1000));
        if (built.err) throw new ZhenziError(built.err);
        var req = built.ok;
        return kit.platform.request({ url: req.url, method: req.method, header: req.header, body: req.body, timeoutMs: ms }).then(function (res) {
          var parsed = core.tencentParseReply(res.status, res.body);
          if (parsed.err) throw new ZhenziError(parsed.err);
          parsed.ok.statuses.forEach(function (s) {
            if (s.err) s.error = new ZhenziError(s.err);
            delete s.err;
          });
          return parsed.ok;
        }, function (failure) {
          throw new ZhenziError(kit.errorInfo((failure && failure.code) || 9100, (failure && failure.detail) || String(failure)));
        });
      });
    };
  }

  /** @type {any} */
  var proto = TencentSmsClient.prototype;
  proto.toString = function () {
    return '[TencentSmsClient sdkAppId=' + this.sdkAppId + ']';
  };
  proto.toJSON = function () {
    return { sdkAppId: this.sdkAppId };
  };
  proto[Symbol.for('nodejs.util.inspect.custom')] = function () {
    return this.toString();
  };

  return TencentSmsClient;
}

module.exports = { createTencentClient: createTencentClient };
