'use strict';
// A stand-in for the cloud function's `phoneNumber` route (the real one is built in
// pkg-template/cloudfunction): it answers the reply shapes the phone side relies on, chosen by
// the code the test's button event carries, and records every event it got (on the host's
// global: each simulator loads its own copy of this module).
const events = (global.phoneFunctionEvents = global.phoneFunctionEvents || []);

exports.events = events;
exports.main = async (event) => {
  events.push(event);
  if (event.$url !== 'phoneNumber') return { code: 'unknown_route', msg: '未知路由' };
  switch (event.code) {
    case 'good':
      return { code: 'success', number: '13800138000', verified: { token: 'tok.en.sig', expiresAt: 4102444800000 }, msg: '验证成功' };
    case 'used':
      return {
        code: 'invalid_code',
        msg: '手机号验证已失效，请重试或用短信验证码验证',
        error: { code: 9401, kind: 'input', reason: '手机号快速验证的 code 无效', message: 'the code is used, expired or forged', solution: '重新点击按钮，或用短信验证码', retriable: false },
        fallback: 'sms',
      };
    case 'crash':
      throw new Error('the function crashed');
    default:
      return { code: 'weird' };
  }
};
