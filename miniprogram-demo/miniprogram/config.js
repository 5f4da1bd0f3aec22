// Demo configuration. The defaults talk to the LOCAL SANDBOX that `./build.sh demo` starts on
// http://127.0.0.1:8787 (tests/sandbox/server.js), so no real SMS is sent and no account is needed.
//
// !!! A real mini-program must NOT ship appId/appSecret in its code package: anyone can unpack a
// !!! mini-program and read them, then send SMS on your balance. Use mode 'cloud' instead: the secret
// !!! lives in the cloud function's environment variables (ZHENZI_APP_SECRET) and never reaches the phone.
// 真实小程序不要把 appSecret 写在代码里（代码包可被解包），请使用云函数模式 mode: 'cloud'。
module.exports = {
  // 'direct': the page calls Zhenzi through wx.request (vendor-compatible, secret in the package).
  // 'cloud':  the page calls the cloud function `cloudFunctionName`, which holds the secret.
  mode: 'direct',

  // Direct mode only. apiUrl is the vendor host the relay forwards to:
  // https://sms_developer.zhenzikj.com (individual) or https://sms.zhenzikj.com (enterprise).
  apiUrl: 'https://sms_developer.zhenzikj.com',
  appId: '10001',                   // a sandbox app (tests/sandbox/fixture.json)
  appSecret: 'sandbox-secret-10001', // sandbox only — see the warning above
  // Where wx.request posts to. Real value: https://smsdeveloper.zhenzikj.com (the SDK's default,
  // which must be on the request-domain whitelist). The sandbox is plain http on loopback, which only
  // works with "不校验合法域名" (project.config.json: setting.urlCheck = false) in DevTools.
  relayUrl: 'http://127.0.0.1:8787',

  // Cloud mode only. cloudEnv '' = the default environment of the cloud development account.
  cloudEnv: '',
  cloudFunctionName: 'zhenzisms',

  // Verification-code settings used by the login page.
  codeLength: 6,     // digits, 4–8
  codeSeconds: 300,  // how long a code stays valid
  resendSeconds: 60, // countdown on the "获取验证码" button (the SDK also enforces a cooldown)
};
