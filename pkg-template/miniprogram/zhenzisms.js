// @ts-check
// zhenzisms.js — drop-in for the vendor's utils/zhenzisms.js (versions A–E), backed by a
// Rust core compiled to WebAssembly, on wx.* (browsers: the npm package's browser/ folder).
//   var zhenzisms = require('../../utils/zhenzisms.js');
//   zhenzisms.client.init(apiUrl, appId, appSecret);      // or client.initCloud({name})
//   zhenzisms.client.send(function (res) { res.data.code … }, number, message);
'use strict';

var made = require('./zhenzisms_client.js').createSdk(require('./zhenzisms_wx.js'));
// Loading the wasm and filling the CSPRNG pool start now, at require: a page's tap handler a
// moment later can call init() and the synchronous createCode() at once.
made.kit.prefetch();
module.exports = made.sdk;
