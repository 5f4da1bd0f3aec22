// The sandbox's Tencent endpoint on its own: its verifier (Node's crypto) reproduces both
// documented TC3 vectors, and raw requests, signed here, are refused for a tampered body, a
// numeric SignName, a wrong action, a stale timestamp and non-digit code variables.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert');
const http = require('http');
const { tc3Signature } = require('../../sandbox/tencent.js');
const { PERMANENT, APP, NUMBER, clock, useSandbox } = require('./helpers.js');

let sb;
useSandbox((s) => (sb = s));

test('the verifier reproduces both documented vectors', () => {
  const body = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
  const headers = { 'content-type': 'application/json; charset=utf-8', host: 'cvm.tencentcloudapi.com', 'x-tc-action': 'DescribeInstances' };
  const common = { headers, body, timestamp: '1551113065', date: '2019-02-25', service: 'cvm' };
  assert.equal(tc3Signature('Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', Object.assign({ signedHeaders: ['content-type', 'host'] }, common)), '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
  assert.equal(tc3Signature('*'.repeat(32), Object.assign({ signedHeaders: ['content-type', 'host', 'x-tc-action'] }, common)), '10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f');
});

// POSTs `payload` to the sandbox signed by this test; `tamper(req)` may change it after signing.
function post(payload, { tamper, action = 'SendSms', secondsOff = 0 } = {}) {
  const host = '127.0.0.1:' + sb.port;
  const timestamp = String(Math.floor(clock.ms / 1000) + secondsOff);
  const date = new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
  const req = {
    body: JSON.stringify(payload),
    headers: { 'content-type': 'application/json; charset=utf-8', host, 'x-tc-action': action, 'x-tc-timestamp': timestamp, 'x-tc-version': '2021-01-11', 'x-tc-region': 'ap-guangzhou' },
  };
  const signature = tc3Signature(PERMANENT.secretKey, { headers: req.headers, body: req.body, timestamp, date, service: 'sms', signedHeaders: ['content-type', 'host'] });
  req.headers.authorization = `TC3-HMAC-SHA256 Credential=${PERMANENT.secretId}/${date}/sms/tc3_request, SignedHeaders=content-type;host, Signature=${signature}`;
  if (tamper) tamper(req);
  return new Promise((resolve, reject) => {
    const r = http.request(sb.url + '/', { method: 'POST', headers: req.headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(JSON.parse(text).Response));
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

const SEND = { PhoneNumberSet: ['+86' + NUMBER], SmsSdkAppId: APP.sdkAppId, TemplateId: '100002', SignName: APP.signNames[0], TemplateParamSet: ['4321'] };

test('a request signed here is accepted', async () => {
  const r = await post(SEND);
  assert.equal(r.SendStatusSet[0].Code, 'Ok', JSON.stringify(r));
  assert.equal(sb.inbox(NUMBER)[0].message, '【云短信体验】您的验证码为4321，请勿泄露。');
});

test('refusals', async () => {
  const cases = [
    ['tampered body', SEND, { tamper: (req) => (req.body = req.body.replace('4321', '9999')) }, 'AuthFailure.SignatureFailure'],
    ['another host', SEND, { tamper: (req) => (req.headers.host = 'sms.tencentcloudapi.com') }, 'AuthFailure.SignatureFailure'],
    ['301 s early', SEND, { secondsOff: -301 }, 'AuthFailure.SignatureExpire'],
    ['no Authorization', SEND, { tamper: (req) => delete req.headers.authorization }, 'AuthFailure.InvalidAuthorization'],
    ['another action', SEND, { action: 'DescribeSmsSignList' }, 'InvalidAction'],
    ['numeric SignName', Object.assign({}, SEND, { SignName: '123456' }), {}, 'FailedOperation.SignatureIncorrectOrUnapproved'],
    ['unknown SdkAppId', Object.assign({}, SEND, { SmsSdkAppId: '1400000002' }), {}, 'UnauthorizedOperation.SmsSdkAppIdVerifyFail'],
    ['two variables for one', Object.assign({}, SEND, { TemplateParamSet: ['1', '2'] }), {}, 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate'],
    ['seven digits', Object.assign({}, SEND, { TemplateParamSet: ['1234567'] }), {}, 'InvalidParameterValue.TemplateParameterFormatError'],
    ['not digits', Object.assign({}, SEND, { TemplateParamSet: ['12 34'] }), {}, 'InvalidParameterValue.TemplateParameterFormatError'],
    ['no numbers', Object.assign({}, SEND, { PhoneNumberSet: [] }), {}, 'MissingParameter.EmptyPhoneNumberSet'],
  ];
  for (const [what, payload, options, code] of cases) {
    const r = await post(payload, options);
    assert.equal(r.Error && r.Error.Code, code, what + ': ' + JSON.stringify(r));
    assert.ok(r.RequestId);
  }
  assert.deepEqual(sb.inbox(NUMBER), []);
  // A malformed number is refused per number, beside a good one.
  const r = await post(Object.assign({}, SEND, { PhoneNumberSet: ['+86123', '+8613900139000'] }));
  assert.deepEqual(r.SendStatusSet.map((s) => s.Code), ['InvalidParameterValue.IncorrectPhoneNumber', 'Ok']);
});
