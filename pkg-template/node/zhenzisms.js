// @ts-check
// zhenzisms — for Node (WeChat cloud functions, servers): the vendor-compatible `client` and
// the Promise API `ZhenziClient`, over https with keep-alive and timeouts.
//   const { ZhenziClient } = require('zhenzisms-wasm');
//   const sms = new ZhenziClient({ apiUrl, appId, appSecret });
//   await sms.send({ number, message });
'use strict';

module.exports = require('./zhenzisms_client.js').createSdk(require('./zhenzisms_node.js'));
