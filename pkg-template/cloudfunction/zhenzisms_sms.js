// @ts-check
// zhenzisms_sms.js — the code SMS: what it says (the operator's choice, never the page's own
// words) and the one step of sendCode that sends it. Everything else (limits, the record, the
// reply) is provider-neutral: Zhenzi (through the function's Zhenzi call) or Tencent Cloud SMS
// (zhenzisms_provider.js, signed, its own configured template).
'use strict';

const crypto = require('crypto');

// Failures after which the SMS may have gone out all the same.
const UNSURE = ['timeout', 'network', 'http', 'reply'];

// Every code SMS gets a messageId the function chose: unguessable, and never one a caller can
// look up (ids of the `send` route carry the caller's own prefix, see index.js).
function codeMessageId() {
  return 'zc-' + crypto.randomBytes(12).toString('hex');
}

const withMinutes = (text, minutes) => text.split('{minutes}').join(String(minutes));

/**
 * What the code SMS says: the page's text or template only when the operator listed it
 * (ZHENZI_CODE_MESSAGES / ZHENZI_CODE_TEMPLATES), else the function's own (ZHENZI_CODE_TEMPLATE_ID
 * or ZHENZI_CODE_MESSAGE). A template's parameters are the code and the minutes, whatever the
 * page passed. → {content: {message} | {templateId, templateParams}, warn?: text for the developer}
 * @param {{message: string, templateId: string}} asked  the page's
 * @param {{message: string, templateId: string, messages: string[], templates: string[]}} sms  the operator's
 * @param {number} minutes
 */
function chooseContent(asked, sms, minutes) {
  const template = (id) => ({ templateId: id, templateParams: ['{code}', String(minutes)] });
  const own = sms.templateId ? template(sms.templateId) : { message: withMinutes(sms.message, minutes) };
  if (asked.templateId) {
    if (sms.templates.indexOf(asked.templateId) >= 0 || asked.templateId === sms.templateId) return { content: template(asked.templateId) };
    return { content: own, warn: 'templateId ' + JSON.stringify(asked.templateId.slice(0, 40)) + ' is not in ZHENZI_CODE_TEMPLATES: the function sent its own SMS instead' };
  }
  if (asked.message) {
    // The default text is the operator's own only when no template is set: with
    // ZHENZI_CODE_TEMPLATE_ID the code goes out as that template, whatever a page asks.
    const ownText = sms.templateId ? [] : [sms.message];
    const listed = sms.messages.concat(ownText).some((m) => m === asked.message || withMinutes(m, minutes) === asked.message);
    if (listed) return { content: { message: withMinutes(asked.message, minutes) } };
    return { content: own, warn: 'the page\'s message is not in ZHENZI_CODE_MESSAGES: the function sent its own SMS (ZHENZI_CODE_MESSAGE) instead' };
  }
  return { content: own };
}

/** The parts an SMS of `content` is billed as, with a code of `digits` in it (a template: 1). */
function partsOf(content, digits, smsParts) {
  if (!content || typeof content.message !== 'string') return 1;
  return smsParts(content.message.split('{code}').join('0'.repeat(digits))).ok || 1;
}

/**
 * Sends `code` to `number`. `call(op, params)` is the function's Zhenzi call, answering
 * {code, data, error?}. → {ok: {messageId?}} or {err} where err is the table's entry; err.unsure
 * says the SMS may have gone out all the same (timeout, connection lost after sending).
 * With Tencent (`provider`), the code and the minutes fill the configured template instead.
 * @param {{number: string, code: string, minutes: number, content: any, clientIp?: string,
 *   call: (op: string, params: object) => Promise<any>, errorInfo: (code: number, detail: string) => any,
 *   provider?: {name: string, sendCode: (a: any) => Promise<any>}, budgetMs?: number}} o
 */
async function sendCodeSms(o) {
  if (o.provider && o.provider.name === 'tencent') {
    const sent = await o.provider.sendCode({ number: o.number, code: o.code, minutes: o.minutes, budgetMs: o.budgetMs });
    if (sent.ok) return { ok: {} };
    // 9341: Tencent failed inside, and the message may have gone out all the same. `remote`:
    // Tencent's own words (its Error.Message, a RequestId) are in the detail, for the log only.
    return { err: Object.assign({}, sent.err, { unsure: UNSURE.indexOf(sent.err.kind) >= 0 || sent.err.code === 9341, remote: !!sent.remote }) };
  }
  const messageId = codeMessageId();
  // The core fills the code in and refuses (100) a text without {code}: requireCode.
  const params = Object.assign({ number: o.number, messageId: messageId, clientIp: o.clientIp, code: o.code, requireCode: true }, o.content);
  const sent = await o.call('send', params);
  if (sent.code === 0) return { ok: { messageId: messageId } };
  // `remote`: the detail may be Zhenzi's own words (for the log only, as Tencent's are).
  const err = Object.assign({}, sent.error || o.errorInfo(1000, String(sent.data)), { remote: true });
  // A reply from Zhenzi (or a refusal before sending) is definite; a timeout or a lost
  // connection is not: the SMS may have been sent.
  err.unsure = UNSURE.indexOf(err.kind) >= 0;
  return { err: err };
}

module.exports = { sendCodeSms: sendCodeSms, chooseContent: chooseContent, partsOf: partsOf };
