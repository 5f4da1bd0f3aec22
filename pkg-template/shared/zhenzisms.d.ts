// Typings for zhenzisms-wasm: the vendor-compatible callback API (`client`) and the Promise
// API (`ZhenziClient`). Same for the mini-program folder, the npm package and Node.

/** `res.data` of every callback: the server's own reply, or {code, data: reason} on failure. */
export interface VendorData<T = unknown> {
  /** 0 = success; server codes 100–1000; SDK-side codes 9001–9999. */
  code: number | string;
  /** The value on success; on failure the reason, a Chinese string. */
  data: T | string;
}

/** What a callback receives: shaped like wx.request's complete result. */
export interface VendorResult<T = unknown> {
  data: VendorData<T>;
  statusCode: number;
  header: Record<string, string>;
  errMsg: string;
  /** Present when the call failed. */
  error?: ZhenziError;
}

export interface ErrorInfo {
  code: number;
  kind: /* generated: kinds */ 'input' | 'config' | 'auth' | 'account' | 'limit' | 'server' | 'network' | 'timeout' | 'http' | 'reply' | 'load' | 'cloud' | 'cooldown' /* end */;
  /** 原因 (zh) */
  reason: string;
  /** The same in English. */
  message: string;
  /** 解决办法 */
  solution: string;
  retriable: boolean;
  detail?: string;
}

export declare class ZhenziError extends Error implements ErrorInfo {
  code: number;
  kind: ErrorInfo['kind'];
  reason: string;
  /** Chinese first: "原因 / the reason in English: detail". */
  message: string;
  solution: string;
  retriable: boolean;
  detail?: string;
}

/** Cloud mode's signed proof of a check, for the page to hand to its sign-in function. */
export interface Verified {
  token: string;
  /** ms since the epoch */
  expiresAt: number;
  /** How the number was proved: an SMS code, or WeChat's one tap (手机号快速验证). */
  via?: 'sms' | 'phone';
}

/** What WeChat's getPhoneNumber / getRealtimePhoneNumber button hands its handler (e.detail). */
export interface PhoneNumberEvent {
  detail: { errMsg?: string; code?: string };
}

/** client.verifyPhoneNumber's answer. A failure is an answer too: `fallback: 'sms'` says to
 *  offer the SMS code instead. */
export interface PhoneNumberAnswer {
  /** 'success'; answered on the phone: 'user_deny' | 'no_permission' | 'no_code' (base library
   *  < 2.21.2) | 'not_cloud' (direct mode) | 'error' (callFunction failed, 9105); answered by the
   *  cloud function's `phoneNumber` route (`error` is the table's 94xx row, or 100 / 9101 / 9202):
   *  'invalid_code' (used, expired or forged: 9401) | 'quota' (9402) | 'busy' (9403) |
   *  'no_permission' (config.json: 9404) | 'not_available' (the account may not use it: 9405) |
   *  'other_app' (9406) | 'stale_code' (9407) | 'wechat_error' (9408) | 'timeout' (9101) |
   *  'bad_number' (not a mainland number: 100) | 'no_code' (100) | 'error' (100, the per-user
   *  cap, …) | 'no_openid'. */
  code: 'success' | 'user_deny' | 'no_permission' | 'no_code' | 'not_cloud' | 'error'
    | 'invalid_code' | 'quota' | 'busy' | 'not_available' | 'other_app' | 'stale_code' | 'wechat_error' | 'timeout' | 'bad_number'
    | (string & {});
  /** A short sentence for the user (Chinese). */
  msg?: string;
  /** On success: the number, canonical 11 digits, as checkVerified answers it. */
  number?: string;
  /** On success: the signed proof, the same as a validated SMS code gives (via 'phone'). */
  verified?: Verified;
  /** 'sms': offer the SMS code instead. */
  fallback?: 'sms';
  error?: ErrorInfo;
}

export type ValidateResult = /* generated: outcomes */ 'ok' | 'empty' | 'number_error' | 'code_error' | 'code_expired' | 'code_used' | 'too_many_attempts' /* end */;

/** A phone number; pages often hold it as a number, which is sent as its digits. */
export type PhoneNumber = string | number;
/** Sent as written; a number is sent as its digits (with a development warning). */
export type MessageId = string | number;

export interface TextMessage {
  number: PhoneNumber;
  message: string;
  /** A send with a non-blank templateId is a template send; '' here means a text send. */
  templateId?: '';
  messageId?: MessageId;
  clientIp?: string;
}

export interface TemplateMessage {
  number: PhoneNumber;
  /** Non-blank: this is what makes a send a template send (the same rule everywhere). */
  templateId: string | number;
  /** Strings (numbers are accepted and written as strings). */
  templateParams?: Array<string | number>;
  messageId?: MessageId;
  clientIp?: string;
}

export interface CodeMessage {
  number: PhoneNumber;
  /** Free text containing `{code}` (without it the text is sent as written, as vendor D did)… */
  message?: string;
  /** …or a template; a parameter '{code}' is replaced (else the code is the first one). */
  templateId?: string | number;
  templateParams?: Array<string | number>;
  /** Lifetime of the code in seconds (default 300). */
  seconds?: number;
  /** 4–8 digits (default 6). */
  length?: number;
  messageId?: MessageId;
  clientIp?: string;
}

export interface SmsRecord {
  message: string;
  appName: string;
  createTime: string;
  status: string;
  toNumber: string;
  messageId: string;
}

export type Callback<T = unknown> = (res: VendorResult<T>) => void;

/** wx-style callbacks in the options object: success or fail, then complete, each once. */
export interface Hooks<T = unknown> {
  success?: Callback<T>;
  fail?: Callback<T>;
  complete?: Callback<T>;
}

export interface ClientOptions {
  /** The relay mini-programs post to (default https://smsdeveloper.zhenzikj.com). */
  relayUrl?: string;
  /**
   * Package path of zhenzisms_bg.wasm.br. Tried first; then /utils/, /util/, /common/, /lib/,
   * /pages/utils/, the package root, /static/ (uni-app) and the npm path.
   */
  wasmPath?: string;
  timeoutMs?: number;
  retries?: number;
  route?: 'relay' | 'direct';
  codePolicy?: { cooldownMs?: number; dailyCap?: number; maxAttempts?: number };
}

/**
 * The drop-in for the vendor's `zhenzisms.client` (versions A–E). Every call returns a Promise
 * of its result. With a callback (or `null` in its place, or success/fail/complete in the options
 * object) the Promise always resolves, to what the callback got. With no callback at all it is
 * the Promise form: it rejects with the ZhenziError when the call fails.
 */
export interface VendorClient {
  init(apiUrl: string, appId: string, appSecret: string): void;
  initCloud(options?: { name?: string; env?: string }): void;
  configure(options: ClientOptions): void;
  ready(): Promise<true>;

  send(cb: Callback<string> | null, number: PhoneNumber, message: string, messageId?: MessageId): Promise<VendorResult<string>>;
  send(cb: Callback<string> | null, message: TextMessage | TemplateMessage): Promise<VendorResult<string>>;
  /** Rejects with ZhenziError on failure. */
  send(number: PhoneNumber, message: string, messageId?: MessageId): Promise<VendorResult<string>>;
  /** With success/fail/complete: resolves always; without them: rejects with ZhenziError on failure. */
  send(message: (TextMessage | TemplateMessage) & Hooks<string>): Promise<VendorResult<string>>;
  /** No argument: rejects with ZhenziError on failure. */
  balance(cb?: Callback<number> | null | Hooks<number>): Promise<VendorResult<number>>;
  findSmsByMessageId(cb: Callback<SmsRecord | {}> | null, messageId: MessageId): Promise<VendorResult<SmsRecord | {}>>;
  findSmsByMessageId(messageId: MessageId): Promise<VendorResult<SmsRecord | {}>>;
  findSmsByMessageId(options: { messageId: MessageId } & Hooks<SmsRecord | {}>): Promise<VendorResult<SmsRecord | {}>>;

  sendCode(cb: Callback<string> | null, number: PhoneNumber, message: string, messageId?: MessageId, seconds?: number, length?: number): Promise<VendorResult<string>>;
  sendCode(cb: Callback<string> | null, message: CodeMessage): Promise<VendorResult<string>>;
  sendCode(number: PhoneNumber, message: string, messageId?: MessageId, seconds?: number, length?: number): Promise<VendorResult<string>>;
  sendCode(message: CodeMessage & Hooks<string>): Promise<VendorResult<string>>;
  /**
   * Direct mode only. Synchronous: the wasm and the random pool start loading when
   * utils/zhenzisms.js is required, so a tap handler finds them ready; a call in the first
   * milliseconds after require throws ZhenziError 9104 (base library < 2.15.0: always, with
   * the reason in `detail`).
   */
  createCode(length: number, seconds: number, number: PhoneNumber): string;

  /**
   * Direct mode: synchronous. Cloud mode: answers 'not_checked' at once without calling the
   * function (the code is not spent; a development build says so): use the callback or the
   * `{number, code}` form there.
   */
  validateCode(number: PhoneNumber, code: string): ValidateResult | 'not_checked';
  /** Version B: 'ok' | 'error' | 'expired' (cloud mode: 'error', nothing checked). */
  validateCode(code: string): 'ok' | 'error' | 'expired';
  /** cb(result, verified?) once, or cb(null, error) when the check itself failed; `verified`: cloud mode's token. */
  validateCode(cb: (result: ValidateResult | null, detail?: Verified | ZhenziError) => void, number: PhoneNumber, code: string): Promise<ValidateResult>;
  /** Both modes: resolves {result, verified?}; rejects ZhenziError when the check itself failed. */
  validateCode(check: { number: PhoneNumber; code: string }): Promise<{ result: ValidateResult; verified?: Verified }>;

  /**
   * WeChat's 手机号快速验证 / 实时验证: pass the button's event as it comes. A deny, no
   * permission, no code (base library < 2.21.2) or direct mode answer at once with
   * `fallback: 'sms'`; otherwise the cloud function exchanges the code. The callback is called
   * once; the Promise resolves to the same answer (never rejects).
   */
  verifyPhoneNumber(cb: (answer: PhoneNumberAnswer) => void, e: PhoneNumberEvent): Promise<PhoneNumberAnswer>;
  verifyPhoneNumber(e: PhoneNumberEvent): Promise<PhoneNumberAnswer>;
}

export interface ZhenziClientOptions {
  appId: string;
  appSecret: string;
  /** Default https://sms_developer.zhenzikj.com; enterprise accounts: https://sms.zhenzikj.com */
  apiUrl?: string;
  timeoutMs?: number;
  /** Retries of balance/lookups on retriable errors, and of sends that never reached the server (default 2). */
  retries?: number;
  retryDelayMs?: number;
  route?: 'relay' | 'direct';
  relayUrl?: string;
}

export declare class ZhenziClient {
  constructor(options: ZhenziClientOptions);
  readonly appId: string;
  ready(): Promise<true>;
  /** Resolves to the server's text ("发送成功"). */
  send(message: TextMessage | TemplateMessage, extra?: { messageId?: string; clientIp?: string }): Promise<string>;
  /** Messages left. */
  balance(): Promise<number>;
  /** The message record, or null when there is none. */
  findSmsByMessageId(messageId: string): Promise<SmsRecord | null>;
}

/** The release, e.g. '0.1.0' (stamped at build time; '0.0.0-dev' in unbuilt sources). */
export declare const version: string;
export declare const client: VendorClient;
export declare function ready(): Promise<true>;
/** Where the wasm is, before the first call (as `client.configure({ wasmPath })`). */
export declare function configure(options: { wasmPath?: string }): void;
export declare function errorInfo(code: number): ErrorInfo;
export declare function errorTable(): ErrorInfo[];

// ---- The server API (Node only: npm package and cloud function; docs/architecture.md) ----

/** An answer of the core: the value, or the table's entry with the vendor's `{code, data}`. */
export type CoreAnswer<T> = { ok: T; err?: undefined; vendor?: VendorData } | { ok?: undefined; err: ErrorInfo; vendor?: VendorData };

export interface ServerApi {
  /** Resolves once the core is loaded (in Node at require already); rejects ZhenziError 9104. */
  ready(): Promise<true>;
  /** The typed core: every function answers an object (see zhenzisms_core.d.ts in the sources). */
  core(): any;
  /** One Zhenzi call, built, sent and parsed by the core; never rejects. */
  call(
    config: { route?: 'relay' | 'direct'; apiUrl?: string; relayUrl?: string; appId: string; appSecret: string },
    op: 'send' | 'balance' | 'findSmsByMessageId',
    params: object,
    options?: { timeoutMs?: number; retries?: number; retryDelayMs?: number; budgetMs?: number }
  ): Promise<CoreAnswer<unknown> & { status?: number; header?: Record<string, unknown> }>;
  errorInfo(code: number, detail?: string): ErrorInfo;
  /** With `limits`: `slots` to store and `warn` (limits now at 80 % of their caps); a refusal by one names it (`limit`, `retryAfter` s).
   *  `asked`: a page's wishes, of which a longer code and a shorter life are granted; `minutes`: the code's life, rounded up, for the SMS. */
  issueCode(input: { number: string; now: number; key: string; policy?: object; asked?: { length?: number; seconds?: number }; previous?: object | null; limits?: unknown[] }): CoreAnswer<{ code: string; record: object; slots?: Array<{ sentAt: number; day: number; count: number }>; warn?: number[]; minutes: number }> & { limit?: number; retryAfter?: number };
  verifyCode(input: { number: string; code: string; now: number; key: string; record?: object | null }): CoreAnswer<{ result: ValidateResult; record: object | null; number: string }>;
}

/** Node only. */
export declare const server: ServerApi;

// ---- Tencent Cloud SMS (Node only: npm package and cloud function; never in a mini-program) ----

export interface TencentSmsClientOptions {
  /** CAM key pair; in a cloud function the runtime's temporary TENCENTCLOUD_SECRETID/… work too. */
  secretId: string;
  secretKey: string;
  /** Required with temporary credentials (sent as X-TC-Token). */
  sessionToken?: string;
  /** SmsSdkAppId, e.g. '1400006666'. */
  sdkAppId: string | number;
  /** The approved signature's TEXT (not its numeric ID); required for mainland numbers. */
  signName?: string;
  /** Default 'ap-guangzhou'. */
  region?: string;
  /** Default https://sms.tencentcloudapi.com; plain http only to loopback (the sandbox). */
  endpoint?: string;
  /** Whole-call timeout in ms (default 10000). */
  timeoutMs?: number;
  /** The clock in ms (default Date.now): the signature's timestamp. */
  now?: () => number;
}

export interface TencentSendMessage {
  /** 11-digit mainland number or E.164 ('+8613800138000', '+14155550100'). */
  number?: string;
  /** Up to 200 numbers, all mainland or all international. */
  numbers?: string[];
  templateId: string | number;
  templateParams?: Array<string | number>;
  /** Echoed back in each status (< 512 bytes). */
  sessionContext?: string;
  /** When known: the template's variable count, checked before sending (9326). */
  templateParamCount?: number;
  /** A verification-code template: every variable must be 0–6 digits (9321). */
  verification?: boolean;
}

export interface TencentSendStatus {
  /** E.164, as Tencent echoes it. */
  number: string;
  ok: boolean;
  /** Tencent's code: 'Ok' or e.g. 'LimitExceeded.PhoneNumberThirtySecondLimit'. */
  code: string;
  message: string;
  serialNo: string;
  fee: number | null;
  sessionContext: string;
  isoCode: string;
  /** For a refused number: the table's entry (93xx), with Tencent's code in `detail`. */
  error?: ZhenziError;
}

export interface TencentSendResult {
  requestId: string;
  statuses: TencentSendStatus[];
}

export declare class TencentSmsClient {
  constructor(options: TencentSmsClientOptions);
  readonly sdkAppId: string;
  /** Resolves per-number statuses; rejects ZhenziError (93xx with Tencent's code in `detail`,
   *  or 9001/100/91xx) when the request was refused or failed. Never retried. */
  send(message: TencentSendMessage, options?: { timeoutMs?: number }): Promise<TencentSendResult>;
}
