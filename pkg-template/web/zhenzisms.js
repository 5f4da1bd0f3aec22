// @ts-check
// zhenzisms.js for browsers (and Node loading this folder): the same SDK as the mini-program's
// drop-in, on fetch, WebAssembly, crypto.getRandomValues and localStorage (zhenzisms_web.js).
// Ships in the npm package's browser/ folder, never into a mini-program.
'use strict';

var made = require('./zhenzisms_client.js').createSdk(require('./zhenzisms_web.js'));
made.kit.prefetch();
module.exports = made.sdk;
