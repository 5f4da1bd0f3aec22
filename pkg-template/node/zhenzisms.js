// @ts-check
// zhenzisms — for Node (WeChat cloud functions, servers): the vendor-compatible `client` and
// the Promise API `ZhenziClient`, over https with keep-alive and timeouts.
//   const { ZhenziClient } = require('zhenzisms-wasm');
//   const sms = new ZhenziClient({ apiUrl, appId, appSecret });
//   await sms.send({ number, message });
//   const { TencentSmsClient } = require('zhenzisms-wasm');   // Tencent Cloud SMS, signed
'use strict';

module.exports = require('./zhenzisms_client.js').createSdk(require('./zhenzisms_node.js'));
// Tencent Cloud SMS (zhenzisms_tencent.js), loaded on first use: it requires this module.
Object.defineProperty(module.exports, 'TencentSmsClient', {
  enumerable: true,
  get: function () {
    return require('./zhenzisms_tencent.js').TencentSmsClient;
  }
});
