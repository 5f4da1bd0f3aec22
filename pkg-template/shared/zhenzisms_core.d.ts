// The interface of zhenzisms_core.js, which the build generates from wasm-bindgen's glue
// (tools/make-glue.js) next to the shim files. Not shipped: it lets tsc and editors resolve
// `require('./zhenzisms_core.js')` in pkg-template/. Every function takes and returns text
// (JSON where it says so): see src/api.rs.

/** The imports object the wasm module must be instantiated with. */
export function imports(): WebAssembly.Imports;
/** Hands the instantiated module to the glue; call once before anything below. */
export function attach(instance: WebAssembly.Instance, module?: WebAssembly.Module): void;
/** `config` may carry `retry: {retries?, retryDelayMs?, timeoutMs?, budgetMs?}`; `params` a
 *  sendCode's `code` (filled in) and `requireCode`. → JSON `{ok: {url, method, header, body,
 *  warn?, retry: {timeoutMs, delaysMs, on: 'unsent' | 'retriable'}}}` or `{err, vendor}`. */
export function buildRequest(op: string, config: string, params: string): string;
/** → JSON `{ok, vendor}` or `{err, vendor}`. */
export function parseReply(op: string, status: number, body: string): string;
/** → JSON `{err, vendor}`: the table's entry for `code`, with `detail`. */
export function errorInfo(code: number, detail: string): string;
/** → JSON array of every entry of the error table. */
export function errorTable(): string;
/** `input`: `{number, now, key, policy?, previous?, limits?}` (`key` required, '' only on
 *  purpose). → JSON `{ok: {code, record}}` or `{err, vendor}`. */
export function codeIssue(input: string, entropy: Uint8Array): string;
/** `input`: `{number, code, now, key, record?}` (`key` required). → JSON `{ok: {result, record,
 *  number}}` or `{err, vendor}`; `number` is the canonical form of the input ('' if none). */
export function codeVerify(input: string): string;
/** Node's module only (cargo feature `server`; absent from the mini-program's): Tencent Cloud
 *  SendSms signed with TC3-HMAC-SHA256 at `nowSeconds`. → JSON `{ok: {url, method, header, body}}` or `{err}`. */
export function tencentBuildRequest(config: string, params: string, nowSeconds: number): string;
/** Node's module only. → JSON `{ok: {requestId, statuses}}` or `{err}`. */
export function tencentParseReply(status: number, body: string): string;
/** Node's module only: a phone number's canonical form. → JSON `{ok: '13800138000'}` or `{err}` (100). */
export function normalizeNumber(raw: string): string;
/** Node's module only: the error kinds and verification outcomes with their vendor texts. */
export function vocabulary(): string;
