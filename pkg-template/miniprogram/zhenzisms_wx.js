// @ts-check
// zhenzisms_wx.js — the mini-program platform: WXWebAssembly, wx.request, wx.getRandomValues,
// wx storage, wx.cloud. Uses nothing the mini-program runtime lacks (docs/runtime.md).
'use strict';

var core = require('./zhenzisms_core.js');

var FILE = 'zhenzisms_bg.wasm.br';
var DIRS = ['/util/', '/common/', '/lib/', '/pages/utils/', '/', '/static/', '/miniprogram_npm/zhenzisms-wasm/', '/utils/'];
var NO_RANDOM = '生成验证码需基础库 ≥ 2.15.0 / codes made on the phone need base library 2.15.0+ (wx.getRandomValues); sends and cloud mode work';

// wx.request's errMsg says 'timeout' for timeouts; everything else is a network failure.
function transportFailure(err) {
  var errMsg = String(err && err.errMsg || 'request:fail');
  // A wx.request failure does not say whether the request left the phone: assume it did.
  return { code: /timeout/i.test(errMsg) ? 9101 : 9100, detail: errMsg, sent: true };
}

module.exports = {
  name: 'wx',
  route: 'relay',
  defaultWasmPath: '/utils/zhenzisms_bg.wasm.br',

  // The path must be inside the package (WXWebAssembly takes no bytes or URLs), and a module
  // cannot know its own path: so the configured path, then the folders pages keep the SDK in,
  // uni-app's static/ (the only folder it copies verbatim) and the npm path are tried in turn.
  // Devices resolve {instance, module}; WeChat's typings say an Instance: accept both.
  loadCore: function (wasmPath) {
    if (typeof WXWebAssembly === 'undefined') {
      return Promise.reject(new Error('WXWebAssembly is missing: base library 2.14.0+ is required'));
    }
    var paths = [wasmPath, module.exports.defaultWasmPath].concat(DIRS.map(function (d) {
      return d + FILE;
    })).filter(function (p, i, all) {
      return p && all.indexOf(p) === i;
    });
    var first = '';
    function next(i) {
      if (i === paths.length) return Promise.reject(new Error(first + '; tried ' + paths.join(', ') + ' (uni-app: put ' + FILE + ' into static/)'));
      var p;
      try {
        p = WXWebAssembly.instantiate(paths[i], core.imports());
      } catch (e) {
        p = Promise.reject(e);
      }
      return p.then(function (/** @type {any} */ r) {
        core.attach(r.instance || r, r.module);
        return core;
      }, function (e) {
        first = first || String(e && e.message || e);
        return next(i + 1);
      });
    }
    return next(0);
  },

  request: function (req) {
    return new Promise(function (resolve, reject) {
      wx.request({
        url: req.url,
        method: req.method,
        header: req.header,
        data: req.body,
        timeout: req.timeoutMs,
        dataType: 'text', // the core parses the body itself, tolerating non-JSON replies
        responseType: 'text',
        success: function (res) {
          var body = res.data;
          resolve({ status: res.statusCode, header: res.header || {}, body: typeof body === 'string' ? body : JSON.stringify(body) });
        },
        fail: function (err) {
          reject(transportFailure(err));
        }
      });
    });
  },

  randomBytes: function (n) {
    return new Promise(function (resolve, reject) {
      if (!wx.getRandomValues) throw new Error(NO_RANDOM);
      wx.getRandomValues({
        length: n,
        success: function (res) {
          resolve(new Uint8Array(res.randomValues));
        },
        fail: function (err) {
          reject(new Error(NO_RANDOM + ': ' + (err && err.errMsg)));
        }
      });
    });
  },

  storage: {
    get: function (key) {
      return wx.getStorageSync(key);
    },
    set: function (key, value) {
      wx.setStorageSync(key, value);
    }
  },

  cloudCall: function (name, data, env) {
    var options = { name: name, data: data };
    if (env) options.config = { env: env };
    return wx.cloud.callFunction(options).then(function (r) {
      return r.result;
    });
  },

  isDevelopment: function () {
    try {
      return wx.getAccountInfoSync().miniProgram.envVersion === 'develop';
    } catch (e) {
      return false;
    }
  }
};
