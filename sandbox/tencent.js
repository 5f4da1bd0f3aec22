'use strict';
// The sandbox's Tencent Cloud SMS endpoint: SendSms 2021-01-11 at POST / (any path with an
// X-TC-Action header), as Tencent's API 3.0 documents it (summary: docs/guide.md §9, src/tc3.rs). It VERIFIES TC3-HMAC-
// SHA256 signatures with its own implementation on Node's crypto (never the project's core),
// checks the clock, the credentials, the app, the signature name, the template and its
// variables, enforces one message per number every 30 s, and delivers texts into the same
// inboxes as the Zhenzi endpoint. Node built-ins only; it must not import project code.

const crypto = require('node:crypto');

// Accounts the sandbox knows. `token`: the credential is temporary and needs X-TC-Token.
const DEFAULT_TENCENT = {
  credentials: [
    { secretId: 'AKIDsandboxPermanent', secretKey: 'sandbox-tencent-key' },
    { secretId: 'AKIDsandboxTemporary', secretKey: 'sandbox-temporary-key', token: 'sandbox-session-token' },
  ],
  apps: [
    {
      sdkAppId: '1400000001',
      signNames: ['云短信体验'],
      templates: {
        // Verification templates: every variable 0–6 digits.
        100001: { text: '您的验证码为{1}，{2}分钟内有效。', verification: true },
        100002: { text: '您的验证码为{1}，请勿泄露。', verification: true },
        100003: { text: '您的订单{1}已发货。', verification: false },
      },
    },
  ],
};

const MAX_SKEW_S = 300;
const PER_NUMBER_GAP_MS = 30000;

const sha256hex = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

// The UTC date of Unix seconds, YYYY-MM-DD.
function utcDate(seconds) {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

// The TC3 signature over the request as received, for `signedHeaders` (lowercase names).
function tc3Signature(secretKey, { headers, body, timestamp, date, service, signedHeaders }) {
  const canonicalHeaders = signedHeaders
    .map((name) => {
      const value = String(headers[name] || '').trim();
      return `${name}:${name === 'x-tc-action' ? value.toLowerCase() : value}\n`;
    })
    .join('');
  const canonical = ['POST', '/', '', canonicalHeaders, signedHeaders.join(';'), sha256hex(body)].join('\n');
  const toSign = ['TC3-HMAC-SHA256', timestamp, `${date}/${service}/tc3_request`, sha256hex(canonical)].join('\n');
  let key = hmac('TC3' + secretKey, date);
  key = hmac(key, service);
  key = hmac(key, 'tc3_request');
  return crypto.createHmac('sha256', key).update(toSign).digest('hex');
}

// A mainland number as the inbox key ('+8613800138000' → '13800138000'), others as given.
function inboxKey(e164) {
  return e164.startsWith('+86') ? e164.slice(3) : e164;
}

function isE164(s) {
  if (typeof s !== 'string') return false;
  if (s.startsWith('+86')) return /^1[3-9]\d{9}$/.test(s.slice(3));
  return /^\+[1-9]\d{7,14}$/.test(s);
}

function variableCount(text) {
  let n = 0;
  while (text.includes(`{${n + 1}}`)) n += 1;
  return n;
}

/**
 * createTencent({now, deliver, formatTime, fixture}) → {handle(req, headers, bodyBuffer) →
 * {status, json, code}, reset()}. `now()` is the sandbox clock (a Date); `deliver(key, msg)`
 * appends to an inbox.
 */
function createTencent({ now, deliver, formatTime, fixture }) {
  const config = Object.assign({}, DEFAULT_TENCENT, fixture || {});
  let lastSent = new Map(); // e164 -> ms of the last delivered message
  let serial = 0;

  function reply(requestId, response) {
    return { status: 200, json: { Response: Object.assign(response, { RequestId: requestId }) } };
  }

  function error(requestId, code, message) {
    return Object.assign(reply(requestId, { Error: { Code: code, Message: message } }), { code });
  }

  // Checks the signature and the headers; returns null when they are right, else an error.
  function authenticate(rid, headers, body) {
    const auth = String(headers.authorization || '');
    const m = /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) return error(rid, 'AuthFailure.InvalidAuthorization', 'Authorization is not a TC3-HMAC-SHA256 header');
    const [, secretId, date, service, signedList, signature] = m;
    const timestamp = String(headers['x-tc-timestamp'] || '');
    if (!/^\d{1,12}$/.test(timestamp)) return error(rid, 'MissingParameter', 'X-TC-Timestamp is missing');
    const skew = Math.abs(now().getTime() / 1000 - Number(timestamp));
    if (skew > MAX_SKEW_S) return error(rid, 'AuthFailure.SignatureExpire', `signature expired: the timestamp is ${Math.round(skew)} s off`);
    const cred = config.credentials.find((c) => c.secretId === secretId);
    if (!cred) return error(rid, 'AuthFailure.SecretIdNotFound', 'the SecretId is not found');
    const signedHeaders = signedList.split(';');
    const wellFormed = date === utcDate(Number(timestamp)) && service === 'sms' && signedHeaders.includes('content-type') && signedHeaders.includes('host') && signedHeaders.every((h) => h in headers);
    const expected = tc3Signature(cred.secretKey, { headers, body, timestamp, date, service, signedHeaders });
    if (!wellFormed || !crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
      return error(rid, 'AuthFailure.SignatureFailure', 'the signature does not match');
    }
    if (cred.token !== undefined && headers['x-tc-token'] !== cred.token) return error(rid, 'AuthFailure.TokenFailure', 'the token is invalid or missing');
    if (headers['x-tc-action'] !== 'SendSms') return error(rid, 'InvalidAction', `unknown action ${headers['x-tc-action']}`);
    if (headers['x-tc-version'] !== '2021-01-11') return error(rid, 'InvalidParameter', 'X-TC-Version must be 2021-01-11');
    if (!headers['x-tc-region']) return error(rid, 'MissingParameter', 'X-TC-Region is required');
    // The official SDKs send `application/json`; the documentation signs it with a charset.
    if (!/^application\/json(; ?charset=utf-8)?$/i.test(String(headers['content-type']))) return error(rid, 'InvalidParameter', 'Content-Type must be application/json');
    return null;
  }

  function sendSms(rid, req) {
    const app = config.apps.find((a) => a.sdkAppId === req.SmsSdkAppId);
    if (!app) return error(rid, 'UnauthorizedOperation.SmsSdkAppIdVerifyFail', 'SmsSdkAppId verify fail');
    const numbers = Array.isArray(req.PhoneNumberSet) ? req.PhoneNumberSet : [];
    if (numbers.length === 0) return error(rid, 'MissingParameter.EmptyPhoneNumberSet', 'PhoneNumberSet is empty');
    const sign = typeof req.SignName === 'string' ? req.SignName : '';
    if (/^\d+$/.test(sign) || !app.signNames.includes(sign)) return error(rid, 'FailedOperation.SignatureIncorrectOrUnapproved', `signature "${sign}" is incorrect or unapproved`);
    const template = Object.prototype.hasOwnProperty.call(app.templates, req.TemplateId) ? app.templates[req.TemplateId] : null;
    if (!template) return error(rid, 'FailedOperation.TemplateIncorrectOrUnapproved', `template ${req.TemplateId} is incorrect or unapproved`);
    const params = Array.isArray(req.TemplateParamSet) ? req.TemplateParamSet : [];
    if (params.length !== variableCount(template.text)) return error(rid, 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate', 'TemplateParamSet does not match the template');
    if (params.some((p) => typeof p !== 'string')) return error(rid, 'InvalidParameterValue.TemplateParameterFormatError', 'TemplateParamSet must be strings');
    if (template.verification && params.some((p) => !/^\d{0,6}$/.test(p))) return error(rid, 'InvalidParameterValue.TemplateParameterFormatError', 'verification variables must be 0-6 digits');
    const text = `【${sign}】` + params.reduce((t, p, i) => t.split(`{${i + 1}}`).join(p), template.text);
    const at = now().getTime();
    const SendStatusSet = numbers.map((number) => {
      const base = { SerialNo: '', PhoneNumber: String(number), Fee: 0, SessionContext: req.SessionContext || '', IsoCode: 'CN' };
      if (!isE164(number)) return Object.assign(base, { Code: 'InvalidParameterValue.IncorrectPhoneNumber', Message: 'incorrect phone number', IsoCode: '' });
      const last = lastSent.get(number);
      if (last !== undefined && at - last < PER_NUMBER_GAP_MS) return Object.assign(base, { Code: 'LimitExceeded.PhoneNumberThirtySecondLimit', Message: 'one message per number every 30 s' });
      lastSent.set(number, at);
      serial += 1;
      const serialNo = `2106:${serial}`;
      deliver(inboxKey(number), { message: text, messageId: serialNo, appId: app.sdkAppId, createTime: formatTime(new Date(at)), provider: 'tencent' });
      return Object.assign(base, { SerialNo: serialNo, Fee: 1, Code: 'Ok', Message: 'send success', IsoCode: number.startsWith('+86') ? 'CN' : 'XX' });
    });
    const codes = SendStatusSet.map((s) => s.Code);
    return Object.assign(reply(rid, { SendStatusSet }), { code: codes.every((c) => c === 'Ok') ? 'Ok' : codes.join(',') });
  }

  return {
    handle(headers, body) {
      const rid = crypto.randomUUID();
      const refused = authenticate(rid, headers, body);
      if (refused) return refused;
      let req;
      try {
        req = JSON.parse(body.toString('utf8'));
      } catch {
        return error(rid, 'FailedOperation.JsonParseFail', 'the body is not JSON');
      }
      if (req === null || typeof req !== 'object' || Array.isArray(req)) return error(rid, 'FailedOperation.JsonParseFail', 'the body is not an object');
      return sendSms(rid, req);
    },
    reset() {
      lastSent = new Map();
    },
  };
}

module.exports = { createTencent, tc3Signature, DEFAULT_TENCENT };
