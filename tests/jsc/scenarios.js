// scenarios.js — the drop-in suite's core scenarios, run inside `jsc --useJIT=false` after
// runtime.js and the package bundle. Each reports {name, ok, detail} through __jsc.report; the
// Node test (jsc.test.js) turns every report into a test and fails on a missing one.
//   args[0] = 'full'   the package as shipped (utils/ + the page)
//   args[0] = 'nowasm' the same package without any .wasm.br: everything must answer 9104
'use strict';

(function () {
  var J = globalThis.__jsc;
  var mode = J.args[0] || 'full';
  var relay = J.args[1];
  var NUMBER = '13800138000';
  var t0 = Date.now();
  var zhenzisms = J.require('/pages/login/login.js'); // the page requires '../../utils/zhenzisms.js'
  var client = zhenzisms.client;
  var scenarios = [];

  function scenario(name, run) {
    scenarios.push({ name: name, run: run });
  }
  function check(cond, what) {
    if (!cond) throw new Error(what);
  }
  // Calls start(cb) and resolves with the callback's only result, checking it came once.
  function once(start) {
    return new Promise(function (resolve, reject) {
      var calls = [];
      start(function (res) {
        calls.push(res);
      });
      setTimeout(function () {
        if (calls.length !== 1) reject(new Error('callback called ' + calls.length + ' times'));
        else resolve(calls[0]);
      }, 300);
    });
  }
  function inbox(number) {
    return J.bridge({ op: 'inbox', number: number }).message;
  }
  function codeOf(text) {
    var m = /(\d{4,8})/.exec(text || '');
    return m && m[1];
  }

  if (mode === 'full') {
    scenario('require → ready (wasm in the JIT-less interpreter + CSPRNG pool)', function () {
      check(typeof WebAssembly === 'undefined' && typeof eval === 'undefined' && typeof TextDecoder === 'undefined', 'a global a phone lacks is present');
      return client.ready().then(function (ok) {
        check(ok === true, 'ready() gave ' + ok);
        return 'require → ready ' + (Date.now() - t0) + ' ms';
      });
    });
    scenario('A: send(cb, number, message, messageId)', function () {
      client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
      client.configure({ relayUrl: relay });
      return once(function (cb) {
        client.send(cb, NUMBER, 'JSC 发送测试。', 'jsc-1');
      }).then(function (res) {
        check(res.data.code === 0 && res.data.data === '发送成功', JSON.stringify(res.data));
        check(inbox(NUMBER) === 'JSC 发送测试。', 'inbox: ' + inbox(NUMBER));
      });
    });
    scenario('E: init + createCode(4, 60, number) in one handler, template send, validateCode', function () {
      client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
      var code = client.createCode(4, 60, NUMBER);
      check(/^\d{4}$/.test(code), 'code ' + code);
      return once(function (cb) {
        client.send(cb, { templateId: '1001', templateParams: [code, '5'], number: NUMBER });
      }).then(function (res) {
        check(res.data.code === 0, JSON.stringify(res.data));
        check(inbox(NUMBER) === '您的验证码为' + code + '，5分钟内有效。【云短信体验】', 'inbox: ' + inbox(NUMBER));
        check(client.validateCode(NUMBER, code) === 'ok', 'validate');
        check(client.validateCode(NUMBER, code) === 'code_used', 'validate twice');
      });
    });
    scenario('balance(cb) and findSmsByMessageId(cb, id)', function () {
      return once(function (cb) {
        client.balance(cb);
      }).then(function (res) {
        check(res.data.code === 0 && typeof res.data.data === 'number', JSON.stringify(res.data));
        return once(function (cb) {
          client.findSmsByMessageId(cb, 'jsc-1');
        });
      }).then(function (res) {
        check(res.data.code === 0 && res.data.data.message === 'JSC 发送测试。', JSON.stringify(res.data));
      });
    });
    scenario('B/C: sendCode(cb, number, message, …) then validateCode(number, code)', function () {
      var number = '13900139000';
      return once(function (cb) {
        client.sendCode(cb, number, '您的验证码为{code}。', '', 300, 6);
      }).then(function (res) {
        check(res.data.code === 0, JSON.stringify(res.data));
        var code = codeOf(inbox(number));
        check(code && code.length === 6, 'inbox: ' + inbox(number));
        check(client.validateCode(number, code === '000000' ? '000001' : '000000') === 'code_error', 'wrong code');
        check(client.validateCode(number, code) === 'ok', 'right code');
      });
    });
    scenario('wx habits: success/complete in the options object; no callback rejects with ZhenziError', function () {
      var seen = [];
      return client.send({ number: NUMBER, message: '钩子。', success: function () { seen.push('success'); }, complete: function () { seen.push('complete'); } }).then(function () {
        check(seen.join() === 'success,complete', seen.join());
        return client.send('12', '坏号码。').then(function () {
          throw new Error('resolved');
        }, function (e) {
          check(e instanceof zhenzisms.ZhenziError && e.code === 100, String(e));
          check(/^参数格式错误 \/ /.test(e.message), e.message);
        });
      });
    });
    scenario('a transport failure: 9100 in the callback, once', function () {
      client.configure({ relayUrl: 'http://127.0.0.1:1' });
      return once(function (cb) {
        client.send(cb, NUMBER, '发不出去。');
      }).then(function (res) {
        client.configure({ relayUrl: relay });
        check(res.data.code === 9100, JSON.stringify(res.data));
        check(res.error instanceof zhenzisms.ZhenziError && res.error.retriable === true, String(res.error));
        check(/^request:fail/.test(res.errMsg), res.errMsg);
      });
    });
  } else {
    scenario('no .wasm.br anywhere: 9104 in the callback naming the paths tried; ready() rejects', function () {
      client.init('https://sms_developer.zhenzikj.com', '10001', 'sandbox-secret-10001');
      client.configure({ relayUrl: relay });
      return once(function (cb) {
        client.send(cb, NUMBER, '没有 wasm。');
      }).then(function (res) {
        check(res.data.code === 9104, JSON.stringify(res.data));
        check(/\/static\/zhenzisms_bg\.wasm\.br/.test(res.error.detail), res.error.detail);
        return client.ready().then(function () {
          throw new Error('ready() resolved');
        }, function (e) {
          check(e.code === 9104, String(e));
        });
      });
    });
  }

  var i = 0;
  function next() {
    if (i === scenarios.length) {
      J.report('logs', J.logs);
      J.report('done', scenarios.length);
      J.quit();
      return;
    }
    var s = scenarios[i++];
    var p;
    try {
      p = Promise.resolve(s.run());
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(function (detail) {
      J.report('result', { name: s.name, ok: true, detail: detail || '' });
    }, function (e) {
      J.report('result', { name: s.name, ok: false, detail: String(e) + ' @ ' + (e && e.stack) });
    }).then(next);
  }
  next();
})();
