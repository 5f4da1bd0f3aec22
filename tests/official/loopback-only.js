// Preloaded (node --require, through NODE_OPTIONS so forks inherit it) into every process that runs
// miniprogram-ci, and loaded by tests/cloudbase/real-sdk.js before the real wx-server-sdk: no
// connection and no name lookup beyond loopback. The official tool asks WeChat's
// servers for things it can do without (e.g. getwhiteextlist on every compile, then falls back
// to its built-in list); here such a call fails on the spot, before anything leaves the machine.
'use strict';
const net = require('net');
const dns = require('dns');

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|::ffff:127(\.\d{1,3}){3})$/i;
const refusal = (host) => Object.assign(new Error(`zhenzisms tests: no network beyond loopback (${host})`), { code: 'ECONNREFUSED' });

const lookup = dns.lookup;
dns.lookup = function (host, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  if (!LOOPBACK.test(String(host))) return process.nextTick(cb, refusal(host));
  return lookup.apply(this, arguments);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function (host) {
  if (!LOOPBACK.test(String(host))) return Promise.reject(refusal(host));
  return promisesLookup.apply(this, arguments);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const opts = first && typeof first === 'object' ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  const host = opts.path ? 'localhost' : opts.host || 'localhost';
  if (!LOOPBACK.test(String(host))) {
    process.nextTick(() => this.destroy(refusal(host)));
    return this;
  }
  return connect.apply(this, args);
};
