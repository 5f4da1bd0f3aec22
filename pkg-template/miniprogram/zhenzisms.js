// @ts-check
// zhenzisms.js — drop-in for the vendor's utils/zhenzisms.js (versions A–E), backed by a
// Rust core compiled to WebAssembly. In a mini-program it uses wx.*; elsewhere (a browser,
// or Node loading this folder) fetch and WebAssembly.
//   var zhenzisms = require('../../utils/zhenzisms.js');
//   zhenzisms.client.init(apiUrl, appId, appSecret);      // or client.initCloud({name})
//   zhenzisms.client.send(function (res) { res.data.code … }, number, message);
'use strict';

var inMiniProgram = typeof wx === 'object' && wx !== null && typeof wx.request === 'function';
var platform = inMiniProgram ? require('./zhenzisms_wx.js') : require('./zhenzisms_web.js');

var sdk = require('./zhenzisms_client.js').createSdk(platform);
// Loading the wasm and filling the CSPRNG pool start now, at require: a page's tap handler a
// moment later can call init() and the synchronous createCode() at once.
sdk._prefetch();
module.exports = sdk;
