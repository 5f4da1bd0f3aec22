// @ts-check
// zhenzisms — for Node (WeChat cloud functions, servers): the vendor-compatible `client` and
// the Promise API `ZhenziClient`, over https with keep-alive and timeouts.
//   const { ZhenziClient } = require('zhenzisms-wasm');
//   import { ZhenziClient } from 'zhenzisms-wasm';          // ESM works too (see below)
//   const sms = new ZhenziClient({ apiUrl, appId, appSecret });
//   await sms.send({ number, message });
//   const { TencentSmsClient } = require('zhenzisms-wasm');   // Tencent Cloud SMS, signed
'use strict';

var sdk = require('./zhenzisms_client.js').createSdk(require('./zhenzisms_node.js'));
// As in a mini-program, loading starts at require; in Node it is synchronous, so the sync helpers
// (errorInfo, errorTable, createCode…) work at once.
sdk._prefetch();
// (any: so tsc does not read the lines below as aliases of themselves)
module.exports = /** @type {any} */ (sdk);

// Node gives an ES module `import { x } from` a CommonJS file only the names it can see
// without running it (cjs-module-lexer reads `module.exports.x = …` lines). The SDK object is made
// at run time, so each public name is assigned here once more, plainly. A new public name
// must be added here too: tests/release/ imports every one from an .mjs.
module.exports.client = sdk.client;
module.exports.ZhenziClient = sdk.ZhenziClient;
module.exports.ZhenziError = sdk.ZhenziError;
module.exports.ready = sdk.ready;
module.exports.configure = sdk.configure;
module.exports.errorInfo = sdk.errorInfo;
module.exports.errorTable = sdk.errorTable;
module.exports.version = sdk.version;
// Tencent Cloud SMS, signed by the same core (zhenzisms_tencent.js). Required last: it requires
// this module back, and by now every name above is in place.
module.exports.TencentSmsClient = require('./zhenzisms_tencent.js').TencentSmsClient;
