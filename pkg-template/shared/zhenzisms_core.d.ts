// The interface of zhenzisms_core.js, which the build generates from wasm-bindgen's glue
// (tools/make-glue.js) next to the shim files. Not shipped: it lets tsc and editors resolve
// `require('./zhenzisms_core.js')` in pkg-template/. The typed boundary: an object argument
// is sent as its JSON text (a string as it is, for text the caller wrote already), and every
// answer is parsed once into an object (see src/api.rs).

type Json = string | object;
/** The table's entry: {code, kind, reason, message, solution, retriable, detail?}. */
type Entry = { code: number; kind: string; reason: string; message: string; solution: string; retriable: boolean; detail?: string };
/** A refusal or failure; `vendor` is the `{code, data}` the vendor SDKs hand pages as res.data. */
type Failed = { ok?: undefined; err: Entry; vendor?: { code: number; data: any }; limit?: number; retryAfter?: number };
type Answer<T> = { ok: T; err?: undefined; vendor?: { code: number; data: any } } | Failed;
type Plan = { timeoutMs: number; delaysMs: number[]; on: 'unsent' | 'retriable' };
type Built = { url: string; method: string; header: Record<string, string>; body: string; warn?: string[]; retry: Plan };
/** A limit's state as the host stores it. */
type Slot = { sentAt: number; day: number; count: number };
/** `slots`, `warn` (the indexes this use takes to 80 % of their caps): when limits were given;
 *  `minutes`: the code's life, rounded up (Node's module only). */
type Issued = { code: string; record: object; slots?: Slot[]; warn?: number[]; minutes?: number };
type Checked = { result: string; record: object | null; number: string };

/** The imports object the wasm module must be instantiated with. */
export function imports(): WebAssembly.Imports;
/** Hands the instantiated module to the glue; call once before anything below. */
export function attach(instance: WebAssembly.Instance, module?: WebAssembly.Module): any;
/** `config` may carry `retry: {retries?, retryDelayMs?, timeoutMs?, budgetMs?}`; `params` a
 *  sendCode's `code` (filled in) and `requireCode`. */
export function buildRequest(op: string, config: Json, params: Json): Answer<Built>;
export function parseReply(op: string, status: number, body: string): Answer<any>;
/** The table's entry for `code`, with `detail`: always `{err, vendor}`. */
export function errorInfo(code: number, detail: string): Failed;
/** Every entry of the error table. */
export function errorTable(): Entry[];
/** `input`: `{number, now, key, policy?, asked?, previous?, limits?}` (`key` required, '' only
 *  on purpose; `asked` {length?, seconds?}: a page's wishes, Node's module only: a longer code
 *  and a shorter life are granted); `entropy`: ≥ 48 CSPRNG bytes. */
export function codeIssue(input: Json, entropy: Uint8Array): Answer<Issued>;
/** `input`: `{number, code, now, key, record?}` (`key` required); `number` of the answer is the
 *  canonical form of the input ('' if none). */
export function codeVerify(input: Json): Answer<Checked>;
/** Node's module only (cargo feature `server`; absent from the mini-program's): Tencent Cloud
 *  SendSms signed with TC3-HMAC-SHA256 at `nowSeconds`. */
export function tencentBuildRequest(config: Json, params: Json, nowSeconds: number): Answer<{ url: string; method: string; header: Record<string, string>; body: string }>;
/** Node's module only. */
export function tencentParseReply(status: number, body: string): Answer<{ requestId: string; statuses: any[] }>;
/** Node's module only: a phone number's canonical form, e.g. `{ok: '13800138000'}`, or `{err}` (100). */
export function normalizeNumber(raw: string): Answer<string>;
/** Node's module only: `{now, limits: [[sentAt, day, count, cooldownMs, cap, windowMs?], …], uses?: [n, …]}` →
 *  each limit as it must be stored after one more use counted `uses[i]` times (default 1), or
 *  the first refusal (`limit`: its index). */
export function limitsTake(input: Json): Answer<{ slots: Slot[]; warn: number[] }>;
/** Node's module only: the same input → each limit with that use given back (it sent nothing). */
export function limitsGive(input: Json): Answer<{ slots: Slot[] }>;
/** Node's module only: the parts a carrier bills an SMS of `text` as (70 UTF-16 units, then 67 a part). */
export function smsParts(text: string): Answer<number>;
/** Node's module only: a Zhenzi configuration → `{ok: {}}` or `{err}` whose `field` and
 *  `problem` name the setting that is wrong. */
export function checkConfig(config: Json): { ok: {}; err?: undefined } | { ok?: undefined; err: Entry & { field?: string; problem?: string } };
/** Node's module only: a Tencent set-up for verification codes (`{secretId, secretKey,
 *  sessionToken?, sdkAppId, signName, region?, endpoint?, templateId, templateParamCount?,
 *  codeLength?, cooldownSeconds?}`) → `{ok: {}}`, or `{err, problems}`: every problem with its
 *  `field`, `problem` (`missing`, `malformed`, `numeric`, `too_long`…) and `detail`. */
export function tencentCheckConfig(setup: Json): { ok: {}; err?: undefined; problems?: undefined } | { ok?: undefined; err: Entry & { field?: string; problem?: string }; problems: { field: string; problem: string; detail: string }[] };
/** Node's module only: the error kinds, the verification outcomes with their vendor texts, and
 *  the digits a code may have. */
export function vocabulary(): { kinds: string[]; outcomes: { result: string; text: string }[]; codeLength: { min: number; max: number } };
