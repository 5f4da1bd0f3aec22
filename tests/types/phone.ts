// The one-tap helper and the verified token against WeChat's own typings
// (miniprogram-api-typings, pinned in tools/package.json): a page passes the button's event as
// WeChat types it. Checked by tsc --strict (tests/types/tsconfig.json).
/// <reference path="../../tools/node_modules/miniprogram-api-typings/index.d.ts" />
import { client, PhoneNumberAnswer, Verified, ValidateResult } from '../../pkg-template/shared/zhenzisms';

function show(...values: unknown[]): void {
  void values;
}

// bindgetphonenumber="onPhone": the event as it comes, callback form and Promise form.
function onPhone(e: WechatMiniprogram.ButtonGetPhoneNumber): void {
  client.verifyPhoneNumber(function (answer) {
    if (answer.code === 'success' && answer.verified) show(answer.number, answer.verified.token, answer.verified.expiresAt);
    else if (answer.fallback === 'sms') show('open the SMS form', answer.msg);
  }, e);
}
async function onRealtimePhone(e: WechatMiniprogram.ButtonGetPhoneNumber): Promise<void> {
  const answer: PhoneNumberAnswer = await client.verifyPhoneNumber(e);
  show(answer.code, answer.msg);
}

// The verified token of a cloud check: the callback's second argument, or the resolved object.
function onCheck(number: string, code: string): void {
  client.validateCode(function (result, second) {
    if (result === null) show(second && 'code' in second && second.code);
    else if (result === 'ok' && second && 'token' in second) show((second as Verified).token);
  }, number, code);
}
async function onCheckAwait(number: string, code: string): Promise<void> {
  const r = await client.validateCode({ number, code });
  const result: ValidateResult = r.result;
  const token: string | undefined = r.verified && r.verified.token;
  show(result, token);
  // The sync form in cloud mode answers at once: never 'ok' without a check.
  const sync: ValidateResult | 'not_checked' = client.validateCode(number, code);
  show(sync);
}

// @ts-expect-error the event is required without a callback
client.verifyPhoneNumber();

show(onPhone, onRealtimePhone, onCheck, onCheckAwait);

// The server API (Node) as the cloud function uses it.
import { server } from '../../pkg-template/shared/zhenzisms';
async function onServer(): Promise<void> {
  await server.ready();
  const issued = server.issueCode({ number: '13800138000', now: Date.now(), key: 'k' });
  if (issued.ok) show(issued.ok.code);
  const out = await server.call({ route: 'direct', appId: '1', appSecret: 's' }, 'send', { number: '13800138000', message: 'x' }, { budgetMs: 2500 });
  if (out.err) show(out.err.code, server.errorInfo(out.err.code).solution);
}
show(onServer);
