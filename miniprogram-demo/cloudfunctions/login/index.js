// The demo's backend step after a login by either path — WeChat's one tap (手机号快速验证) or an SMS
// code: sign the user in only if the `zhenzisms` cloud function confirms that THIS user (the
// caller's openid, which WeChat passes along to zhenzisms) verified THIS number a moment ago. Both
// paths leave the same record there, so one question covers both; `via` says which it was. The
// page's own word proves nothing here: a modified client can skip the check and call this directly.
//
// Event: {number}. Answer: {code: 'success', number, verifiedAt, via: 'phone' | 'sms' | ''} or
// {code: 'not_verified', msg}.
'use strict';

const cloud = require('wx-server-sdk');

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

function notVerified(msg) {
  return { code: 'not_verified', msg };
}

exports.main = async (event) => {
  const { OPENID } = cloud.getWXContext();
  if (!OPENID) return notVerified('没有用户身份（OPENID），请从小程序内调用');
  const number = event && typeof event.number === 'string' ? event.number.trim() : '';
  if (!MAINLAND_MOBILE.test(number)) return notVerified('手机号格式不正确');

  let result;
  try {
    const reply = await cloud.callFunction({ name: 'zhenzisms', data: { $url: 'checkVerified', number } });
    result = reply && reply.result;
  } catch (e) {
    console.error('[login] calling zhenzisms checkVerified failed:', (e && (e.errMsg || e.message)) || e);
    return notVerified('暂时无法确认验证结果，请稍后重试');
  }
  const verified = result && result.code === 'success' && typeof result.number === 'string' && result.number !== ''
    && result.verifiedAt != null;
  if (!verified) return notVerified((result && typeof result.msg === 'string' && result.msg) || '该手机号没有通过验证');

  // Signed in. A real backend would now find or create the user bound to OPENID and result.number
  // (e.g. a `users` collection) and return its own session; the demo returns what it trusted.
  // How zhenzisms says the number was proved: 'phone' (one tap) or 'sms'; '' if it said neither.
  const via = result.via === 'phone' || result.via === 'sms' ? result.via : '';
  return { code: 'success', number: result.number, verifiedAt: result.verifiedAt, via };
};
