// wx-server-sdk as the cloud function uses it, for tsc only (the package is installed in the
// cloud, not here). See tests/cloud/wx-server-sdk-standin.js for the behaviour tests rely on.
declare module 'wx-server-sdk' {
  export const DYNAMIC_CURRENT_ENV: unique symbol;
  export function init(options?: { env?: unknown }): void;
  export function getWXContext(): { OPENID?: string; APPID?: string; UNIONID?: string; CLIENTIP?: string };
  export function database(): any;
}
