// The 云调用 phonenumber.getPhoneNumber on the test's side: one fixture both backends answer from
// (the wx-server-sdk stand-in's cloud.openapi, and the local CloudBase endpoint's `wx.openApi`
// behind the real SDK). It plays WeChat's server: codes the "button" issued, each good once and
// for 5 minutes, and the JSON WeChat answers (snake_case, errcode/errmsg); each backend then turns
// that into what wx-server-sdk 4.0.2 gives the function. README.md beside this file lists where it
// differs from WeChat.
'use strict';
const crypto = require('crypto');

const API = 'phonenumber.getPhoneNumber';
const LIFETIME_MS = 5 * 60 * 1000; // WeChat: each code works once, for 5 minutes
// errmsg texts as WeChat writes them (its rid suffix varies per request).
const ERRMSG = { '-1': 'system error', 40029: 'invalid code', 45011: 'api minute-quota reach limit  mustslower  retry next minute', 40013: 'invalid appid' };
// What the platform answers (CommOpenApiResp.errorCode) when the calling function's config.json
// does not list the API under permissions.openapi: wx-server-sdk's own table names it
// WX_FUNCTIONS_SERVER_OPENAPI_NO_PERMISSION, 'function has no permission to call this API'.
const NO_PERMISSION = -604101;

function rid() {
  return crypto.randomBytes(4).toString('hex') + '-' + crypto.randomBytes(4).toString('hex');
}

function wxError(errcode, errmsg) {
  return { errcode, errmsg: (errmsg === undefined ? ERRMSG[errcode] || 'error' : errmsg) + ', rid: ' + rid() };
}

/** `appid()` gives the mini-program's appid now (the backend's context.APPID). */
function createPhoneExchange({ appid }) {
  const codes = new Map(); // code → {info, issuedAt, used}
  const failures = [];
  const phone = {
    calls: [], // every exchange asked for: the request's data as WeChat received it
    /** A code as the button's e.detail.code would carry it, for this number. */
    issue({ phoneNumber, purePhoneNumber, countryCode = '86', appid: forApp, timestamp } = {}) {
      if (typeof phoneNumber !== 'string' || !phoneNumber) throw new TypeError('phone.issue needs {phoneNumber}');
      const cc = String(countryCode);
      const pure = purePhoneNumber !== undefined ? purePhoneNumber : phoneNumber.startsWith('+' + cc) ? phoneNumber.slice(1 + cc.length) : phoneNumber;
      const code = crypto.randomBytes(16).toString('hex');
      codes.set(code, {
        issuedAt: Date.now(),
        used: false,
        info: {
          phoneNumber,
          purePhoneNumber: pure,
          countryCode,
          watermark: { timestamp: timestamp !== undefined ? timestamp : Math.floor(Date.now() / 1000), appid: forApp !== undefined ? forApp : appid() },
        },
      });
      return code;
    },
    /** The next exchange fails with this errcode (e.g. 45011, -1), whatever its code. */
    failNext(errcode, errmsg) {
      failures.push({ errcode, errmsg });
    },
    /**
     * WeChat's answer to one exchange: {errorCode} when the platform refuses the call itself (no
     * permission), else {json} as WeChat's server writes it.
     */
    answer(data, permitted) {
      phone.calls.push(JSON.parse(JSON.stringify(data || {})));
      if (!permitted) return { errorCode: NO_PERMISSION };
      if (failures.length) {
        const f = failures.shift();
        return { json: wxError(f.errcode, f.errmsg) };
      }
      const entry = data && typeof data.code === 'string' ? codes.get(data.code) : undefined;
      if (!entry || entry.used || Date.now() - entry.issuedAt > LIFETIME_MS) return { json: wxError(40029) };
      entry.used = true;
      const i = entry.info;
      return {
        json: {
          errcode: 0,
          errmsg: 'ok',
          phone_info: { phoneNumber: i.phoneNumber, purePhoneNumber: i.purePhoneNumber, countryCode: i.countryCode, watermark: Object.assign({}, i.watermark) },
        },
      };
    },
  };
  return phone;
}

// Whether the function at `functionDir` may call `api` by 云调用: its config.json lists it under
// permissions.openapi (上传并部署 applies that file; without it the call is refused).
function permits(functionDir, api) {
  try {
    const config = JSON.parse(require('fs').readFileSync(require('path').join(functionDir, 'config.json'), 'utf8'));
    return Array.isArray(config.permissions && config.permissions.openapi) && config.permissions.openapi.includes(api);
  } catch (e) {
    return false;
  }
}

module.exports = { createPhoneExchange, permits, API, NO_PERMISSION, LIFETIME_MS };
