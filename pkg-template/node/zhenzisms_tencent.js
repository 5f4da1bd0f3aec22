// @ts-check
// zhenzisms_tencent.js — Tencent Cloud SMS (SendSms 2021-01-11) for Node: the request is built
// and signed (TC3-HMAC-SHA256) by the Rust core's server module, sent over the Node platform's
// https (keep-alive, timeouts, TLS verification on), and the reply is parsed by the core into
// per-number statuses and errors of the same table as Zhenzi's.
//   const { TencentSmsClient } = require('zhenzisms-wasm/zhenzisms_tencent.js');
//   const sms = new TencentSmsClient({ secretId, secretKey, sdkAppId, signName });
//   const { statuses } = await sms.send({ number: '13800138000', templateId: '123456', templateParams: ['4321'] });
'use strict';

/** @type {any} the SDK with its internals (_load, _errorInfo) */
var sdk = require('./zhenzisms.js');
var platform = require('./zhenzisms_node.js');

var DEFAULT_TIMEOUT_MS = 10000;

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
  var now = typeof options.now === 'function' ? options.now : Date.now;
  Object.defineProperty(this, 'sdkAppId', { value: String(options.sdkAppId || ''), enumerable: true });

  // send({number | numbers, templateId, templateParams?, sessionContext?, templateParamCount?,
  // verification?}, {timeoutMs?}) → {requestId, statuses: [{number, ok, code, message, serialNo,
  // fee, sessionContext, isoCode, error?}]}; rejects ZhenziError when nothing was accepted.
  // A send is never repeated: once the request may have left, only Tencent knows whether it went out.
  this.send = function (message, callOptions) {
    var ms = (callOptions && callOptions.timeoutMs) || timeoutMs;
    return sdk._load().then(function (core) {
      var built = JSON.parse(core.tencentBuildRequest(config, JSON.stringify(message || {}), Math.floor(now() / 1000)));
      if (built.err) throw new sdk.ZhenziError(built.err);
      var req = built.ok;
      return platform.request({ url: req.url, method: req.method, header: req.header, body: req.body, timeoutMs: ms }).then(function (res) {
        var parsed = JSON.parse(core.tencentParseReply(res.status, res.body));
        if (parsed.err) throw new sdk.ZhenziError(parsed.err);
        parsed.ok.statuses.forEach(function (s) {
          if (s.err) s.error = new sdk.ZhenziError(s.err);
          delete s.err;
        });
        return parsed.ok;
      }, function (failure) {
        throw new sdk.ZhenziError(sdk._errorInfo((failure && failure.code) || 9100, (failure && failure.detail) || String(failure)));
      });
    }, function (e) {
      if (e instanceof sdk.ZhenziError) throw e;
      throw new sdk.ZhenziError(Object.assign(sdk.errorInfo(9104), { detail: String(e && e.message || e) }));
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

module.exports = { TencentSmsClient: TencentSmsClient, ZhenziError: sdk.ZhenziError };
