// @ts-check
// zhenzisms_sms.js — the one step of sendCode that sends the code by SMS. Everything else
// (limits, the record, the reply) is provider-neutral; a second provider (Tencent Cloud SMS)
// plugs in here.
'use strict';

const crypto = require('crypto');
const codes = require('./zhenzisms_codes.js');

// Every code SMS gets a messageId the function chose: unguessable, and never one a caller
// can look up (findSmsByMessageId answers only ids its caller sent through `send`).
function codeMessageId() {
  return 'zc-' + crypto.randomBytes(12).toString('hex');
}

/**
 * Sends `code` to `number` ({code} in the event's message, or in its template parameters).
 * `call(op, params)` is the function's Zhenzi call, answering {code, data, error?}.
 * → {ok: {messageId}} or {err} where err is an SDK error ({code, kind, reason, …}); err.unsure
 * says the SMS may have gone out all the same (timeout, connection lost after sending).
 * @param {{number: string, code: string, minutes: number, event: {message?: string, templateId?: string, templateParams?: string[]}, clientIp?: string,
 *   call: (op: string, params: object) => Promise<any>, errorInfo: (code: number, detail: string) => any}} o
 */
async function sendCodeSms(o) {
  const messageId = codeMessageId();
  const filled = codes.fill({ number: o.number, message: o.event.message, templateId: o.event.templateId, templateParams: o.event.templateParams, messageId: messageId, clientIp: o.clientIp }, o.code);
  if (!filled) return { err: o.errorInfo(100, 'message must contain {code}, or use a templateId') };
  const sent = await o.call(/** @type {string} */ (filled[0]), /** @type {object} */ (filled[1]));
  if (sent.code === 0) return { ok: { messageId: messageId } };
  const err = Object.assign({}, sent.error || o.errorInfo(1000, String(sent.data)));
  // A reply from Zhenzi (or a refusal before sending) is definite; a timeout or a lost
  // connection is not: the SMS may have been sent.
  err.unsure = ['timeout', 'network', 'http', 'reply'].indexOf(err.kind) >= 0;
  return { err: err };
}

module.exports = { sendCodeSms: sendCodeSms };
