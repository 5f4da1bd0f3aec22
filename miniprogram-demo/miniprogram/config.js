// Demo configuration. The demo runs when first opened: with the project's `touristappid`, or with no
// cloud environment named below, it uses DIRECT MODE against the LOCAL SANDBOX that `./build.sh demo`
// starts on http://127.0.0.1:8787 (sandbox/server.js: no real SMS, no account), and the login page
// says so in one line. With an appid of your own and `cloudEnv` filled in, it uses CLOUD MODE, the
// recommended one: the page calls the cloud function `zhenzisms`, which holds the appSecret, makes and
// checks the code; then the demo cloud function `login` asks zhenzisms whether this user really
// verified this number before signing in. The developer page switches modes at any time.
//
// !!! A real mini-program must NOT ship appId/appSecret in its code package: anyone can unpack a
// !!! mini-program and read them, then send SMS on your balance. Direct mode is for development only.
// 真实小程序不要把 appSecret 写在代码里（代码包可被解包），请使用云函数模式。
module.exports = {
  // 'auto':   cloud mode when the appid is your own and cloudEnv is set, else direct mode (sandbox).
  // 'cloud':  the page calls the cloud function `cloudFunctionName`, which holds the secret.
  // 'direct': the page calls Zhenzi through wx.request (vendor-compatible, secret in the package).
  mode: 'auto',

  // Cloud mode: the environment ID from 云开发控制台 (e.g. 'prod-1a2b3c'). '' = none yet: mode 'auto'
  // then stays in direct mode (mode 'cloud' would use the account's default environment).
  cloudEnv: '',
  cloudFunctionName: 'zhenzisms',
  loginFunctionName: 'login', // cloudfunctions/login: signs in only what zhenzisms says was verified

  // Direct mode, target "sandbox" (the default target). apiUrl is the vendor host the relay forwards
  // to: https://sms_developer.zhenzikj.com (individual) or https://sms.zhenzikj.com (enterprise).
  apiUrl: 'https://sms_developer.zhenzikj.com',
  appId: '10001',                    // a sandbox app (sandbox/fixture.json)
  appSecret: 'sandbox-secret-10001', // sandbox only — see the warning above
  // Where wx.request posts to. The sandbox is plain http on loopback, which only works with
  // "不校验合法域名" (project.config.json: setting.urlCheck = false) in DevTools.
  relayUrl: 'http://127.0.0.1:8787',

  // Direct mode, target "real": your own Zhenzi account, for trying it in DevTools only. Requests go
  // to the SDK's default relay https://smsdeveloper.zhenzikj.com (add it to the request whitelist).
  real: {
    apiUrl: 'https://sms_developer.zhenzikj.com',
    appId: '',
    appSecret: '',
  },

  // Verification-code settings used by the login page.
  codeLength: 6,     // digits, 4–8
  codeSeconds: 300,  // how long a code stays valid
  resendSeconds: 60, // countdown of "获取验证码" (the SDK also enforces a cooldown)
};
