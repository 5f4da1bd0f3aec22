// Every call of both APIs, written as users write them, type-checked against the shipped
// typings (pkg-template/shared/zhenzisms.d.ts). Never run: `tsc --noEmit -p tests/types` only.
// The `@ts-expect-error` lines are misuse the typings must refuse (tsc fails if they don't).
import { client, ZhenziClient, ZhenziError, errorInfo, errorTable, ready } from '../../pkg-template/shared/zhenzisms';
import type { VendorResult, SmsRecord, ValidateResult, ErrorInfo } from '../../pkg-template/shared/zhenzisms';
// How mini-program pages written in TypeScript load utils/zhenzisms.js.
import zhenzisms = require('../../pkg-template/shared/zhenzisms');

declare function show(...values: unknown[]): void;
const NUMBER = '13800138000';

// ---- vendor client, version A: init + send / balance / findSmsByMessageId with callbacks
zhenzisms.client.init('https://sms_developer.zhenzikj.com', '10001', 'app-secret');
client.init('https://sms_developer.zhenzikj.com', '10001', 'app-secret');
client.send(function (res) {
  if (res.data.code == 0) show('sent', res.data.data.length);
  else show(res.data.data, res.statusCode, res.errMsg, res.header['content-type']);
  if (res.error) show(res.error.code, res.error.kind, res.error.reason, res.error.solution, res.error.retriable);
}, NUMBER, '您的订单已发货');
client.send(null, NUMBER, 'text', 'order-1');
client.balance(function (res) {
  // data is the balance on success and the reason (a string) on failure.
  const data: number | string = res.data.data;
  // @ts-expect-error: not a number until the failure case is ruled out
  const unchecked: number = res.data.data;
  if (typeof data === 'number') show(data + 1, unchecked);
});
client.balance();
client.findSmsByMessageId(function (res) {
  const record = res.data.data as SmsRecord;
  show(record.message, record.toNumber, record.createTime, record.status, record.appName, record.messageId);
}, 'order-1');

// ---- B: sendCode with positional arguments, one-argument validateCode
client.sendCode(function (res) { show(res.data.code); }, NUMBER, '您的验证码为{code}', '', 300, 6);
client.sendCode(null, NUMBER, '验证码{code}');
const b: 'ok' | 'error' | 'expired' = client.validateCode('123456');

// ---- C: validateCode(number, code)
const c = client.validateCode(NUMBER, '123456');
if (c === 'ok' || c === 'code_expired') show(c);

// ---- D: object arguments
client.send(function (res) { show(res.data.code); }, { number: NUMBER, message: 'text', messageId: 'm-1', clientIp: '1.2.3.4' });
client.sendCode(function (res) { show(res.data.code); }, { number: NUMBER, message: '验证码{code}', seconds: 300, length: 6, messageId: 'm-2', clientIp: '1.2.3.4' });

// ---- E: templates, createCode
client.send(function (res) { show(res.data.code); }, { number: NUMBER, templateId: '1001', templateParams: ['1234', 5] });
client.sendCode(null, { number: NUMBER, templateId: '1001', templateParams: ['{code}', '5'] });
const made: string = client.createCode(6, 300, NUMBER);
show(made);

// ---- the extras: configure, ready, Promises, cloud mode, validateCode with a callback
client.configure({ relayUrl: 'https://smsdeveloper.zhenzikj.com', wasmPath: '/utils/zhenzisms_bg.wasm.br', timeoutMs: 5000, retries: 1, route: 'relay', codePolicy: { cooldownMs: 60000, dailyCap: 10, maxAttempts: 5 } });
client.initCloud({ name: 'zhenzisms', env: 'prod-1a2b' });
client.initCloud();
async function promises(): Promise<void> {
  const ok: true = await client.ready();
  const res: VendorResult<string> = await client.send(null, NUMBER, 'text');
  const balance: VendorResult<number> = await client.balance(null);
  const code: VendorResult<string> = await client.sendCode(null, { number: NUMBER, message: '{code}' });
  const checked: ValidateResult = await client.validateCode(function (result, error) {
    if (result === null && error && 'code' in error) show(error.code, error.detail);
  }, NUMBER, '123456');
  show(ok, res, balance, code, checked);
}

// ---- wx habits: success / fail / complete in the options object, and no callback at all
client.send({ number: NUMBER, message: 'text', success(res) { show(res.data.code); }, fail(res) { show(res.error && res.error.reason); }, complete() {} });
client.send({ number: 13800138000, templateId: '1001', templateParams: ['1234', 5], messageId: 42, success: (res) => show(res.data.data) });
client.sendCode({ number: NUMBER, message: '验证码{code}', complete: (res) => show(res.errMsg) });
client.balance({ success: (res) => show(res.data.data) });
client.findSmsByMessageId({ messageId: 'order-1', fail: (res) => show(res.data.code) });
async function callbackless(): Promise<void> {
  try {
    const sent: VendorResult<string> = await client.send(NUMBER, 'text');
    const obj: VendorResult<string> = await client.send({ number: NUMBER, message: 'text', templateId: '' });
    const left: VendorResult<number> = await client.balance();
    const found: VendorResult<SmsRecord | {}> = await client.findSmsByMessageId('order-1');
    const code: VendorResult<string> = await client.sendCode(NUMBER, '验证码{code}');
    const code2: VendorResult<string> = await client.sendCode({ number: NUMBER, message: '验证码{code}' });
    show(sent, obj, left, found, code, code2);
  } catch (e) {
    if (e instanceof ZhenziError) show(e.code, e.reason, e.message, e.detail);
  }
}
show(callbackless);

// ---- the Promise API
async function promiseApi(): Promise<void> {
  const sms = new ZhenziClient({ appId: '10001', appSecret: 'secret', apiUrl: 'https://sms.zhenzikj.com', timeoutMs: 8000, retries: 2, retryDelayMs: 200, route: 'direct' });
  const minimal = new ZhenziClient({ appId: '10001', appSecret: 'secret' });
  await sms.ready();
  const text: string = await sms.send({ number: NUMBER, message: '您好' });
  await sms.send({ number: NUMBER, message: '您好' }, { messageId: 'm-3', clientIp: '::1' });
  await sms.send({ number: NUMBER, templateId: '1001', templateParams: ['1234', 5], messageId: 'm-4' });
  const left: number = await minimal.balance();
  const found: SmsRecord | null = await sms.findSmsByMessageId('m-3');
  if (found) show(found.message);
  const id: string = sms.appId;
  show(text, left, id);
  try {
    await sms.balance();
  } catch (e) {
    if (e instanceof ZhenziError) {
      const n: number = e.code;
      const retry: boolean = e.retriable;
      show(n, e.kind === 'timeout', e.reason, e.message, e.solution, e.detail, e.stack, retry);
    }
  }
}

// ---- module helpers
async function helpers(): Promise<void> {
  await ready();
  const info: ErrorInfo = errorInfo(108);
  const table: ErrorInfo[] = errorTable();
  show(info.reason, table.filter((e) => e.retriable).map((e) => e.code));
}
show(b, promises, promiseApi, helpers);

// ---- misuse the typings must refuse
// @ts-expect-error the callback comes first
client.send(NUMBER, 'text', function () {});
// @ts-expect-error appSecret is required
new ZhenziClient({ appId: '10001' });
// @ts-expect-error templateParams are strings or numbers
new ZhenziClient({ appId: '1', appSecret: 's' }).send({ number: NUMBER, templateId: '1001', templateParams: [true] });
// @ts-expect-error balance() resolves to a number
const notText: Promise<string> = new ZhenziClient({ appId: '1', appSecret: 's' }).balance();
// @ts-expect-error a message needs a number
new ZhenziClient({ appId: '1', appSecret: 's' }).send({ message: 'x' });
// @ts-expect-error route is 'relay' or 'direct'
client.configure({ route: 'carrier-pigeon' });
// @ts-expect-error one-argument validateCode answers only ok / error / expired
const wrongB: 'code_used' = client.validateCode('123456');
// @ts-expect-error createCode takes numbers for length and seconds
client.createCode('6', '300', NUMBER);
// @ts-expect-error errorInfo takes a code number
errorInfo('108');
// @ts-expect-error success takes a result, not two arguments
client.balance({ success: (a: VendorResult<number>, b: string) => show(a, b) });
show(notText, wrongB);
