// @ts-check
// zhenzisms — for Node (WeChat cloud functions, servers): the vendor-compatible `client`, the
// Promise API `ZhenziClient`, Tencent Cloud SMS, and `server` (the API the cloud function
// builds on), over https with keep-alive and timeouts.
//   const { ZhenziClient } = require('zhenzisms-wasm');
//   import { ZhenziClient } from 'zhenzisms-wasm';          // ESM works too (see below)
//   const sms = new ZhenziClient({ apiUrl, appId, appSecret });
//   await sms.send({ number, message });
//   const { TencentSmsClient } = require('zhenzisms-wasm');   // Tencent Cloud SMS, signed
'use strict';

var made = require('./zhenzisms_client.js').createSdk(require('./zhenzisms_node.js'));
var sdk = made.sdk;
// As in a mini-program, loading starts at require; in Node it is synchronous, so the sync helpers
// (errorInfo, errorTable, createCode…) work at once.
made.kit.prefetch();
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
// Tencent Cloud SMS and the server API, made over the same SDK's kit (neither requires this file).
module.exports.TencentSmsClient = require('./zhenzisms_tencent.js').createTencentClient(made.kit);
module.exports.server = require('./zhenzisms_server.js').createServer(made.kit);
