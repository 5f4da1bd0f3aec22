// @ts-check
// zhenzisms_sms.js — the one step of sendCode that sends the code by SMS. Everything else
// (limits, the record, the reply) is provider-neutral: Zhenzi (the page's message or template,
// through the function's Zhenzi call) or Tencent Cloud SMS (zhenzisms_provider.js, signed).
'use strict';

const crypto = require('crypto');

// Failures after which the SMS may have gone out all the same.
const UNSURE = ['timeout', 'network', 'http', 'reply'];

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
 * With Tencent (`provider`), the code and the minutes fill the configured template instead.
 * @param {{number: string, code: string, minutes: number, event: {message?: string, templateId?: string, templateParams?: string[]}, clientIp?: string,
 *   call: (op: string, params: object) => Promise<any>, errorInfo: (code: number, detail: string) => any,
 *   provider?: {name: string, sendCode: (a: any) => Promise<any>}, budgetMs?: number}} o
 */
async function sendCodeSms(o) {
  if (o.provider && o.provider.name === 'tencent') {
    const sent = await o.provider.sendCode({ number: o.number, code: o.code, minutes: o.minutes, budgetMs: o.budgetMs });
    if (sent.ok) return { ok: {} };
    // 9341: Tencent failed inside, and the message may have gone out all the same.
    return { err: Object.assign({}, sent.err, { unsure: UNSURE.indexOf(sent.err.kind) >= 0 || sent.err.code === 9341 }) };
  }
  const messageId = codeMessageId();
  // The core fills the code in and refuses (100) a text without {code}: requireCode.
  const sent = await o.call('send', { number: o.number, message: o.event.message, templateId: o.event.templateId, templateParams: o.event.templateParams, messageId: messageId, clientIp: o.clientIp, code: o.code, requireCode: true });
  if (sent.code === 0) return { ok: { messageId: messageId } };
  const err = Object.assign({}, sent.error || o.errorInfo(1000, String(sent.data)));
  // A reply from Zhenzi (or a refusal before sending) is definite; a timeout or a lost
  // connection is not: the SMS may have been sent.
  err.unsure = UNSURE.indexOf(err.kind) >= 0;
  return { err: err };
}

module.exports = { sendCodeSms: sendCodeSms };
