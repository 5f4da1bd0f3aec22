// The demo app: which mode the shared SDK client is in, and the developer page's request log.
const zhenzisms = require('./utils/zhenzisms.js');
const config = require('./config.js');
const loginLogic = require('./pages/login/logic.js');

App({
  globalData: {
    mode: '',            // 'cloud' | 'direct': chosen at launch (chooseMode), switched on the developer page
    modeReason: '',      // why direct mode was chosen ('tourist', 'no-env', 'no-cloud'), or ''
    target: 'sandbox',   // direct mode: 'sandbox' | 'real' (config.real)
    applied: '',         // the mode the client was last set up in ('' = not yet)
    lastMessageId: '',   // messageId of the last direct-mode code, pre-filled on the developer page
    lastSignIn: null,    // {number (masked), via: 'phone' | 'sms' | '', at}: the developer page shows the path
    devLog: [],          // see devlog.js
    cloudReady: false,
  },

  onLaunch() {
    this.ensureClient();
  },

  /** Set the client up, once: in globalData.mode, or the mode chooseMode picks. Pages call it in onLoad. */
  ensureClient() {
    const g = this.globalData;
    if (!g.mode) {
      const chosen = loginLogic.chooseMode(config, runningAppId(), typeof wx !== 'undefined' && !!wx.cloud);
      g.mode = chosen.mode;
      g.modeReason = chosen.reason;
    }
    if (!g.applied) this.useMode(g.mode, g.target);
    return g.applied;
  },

  /** Switch the shared client (zhenzisms.client) to a mode; returns the mode applied. */
  useMode(mode, target) {
    if (mode === 'cloud') this.ensureCloud();
    const applied = loginLogic.applyMode(zhenzisms.client, config, mode, target);
    this.globalData.mode = applied;
    this.globalData.applied = applied;
    this.globalData.target = target === 'real' ? 'real' : 'sandbox';
    return applied;
  },

  /**
   * wx.cloud.init, once, the first time cloud mode is used — not unconditionally at launch, where a
   * tourist appid or a project without cloud development would only log errors in direct mode.
   * Returns false where wx.cloud does not exist (base library < 2.2.3); calls then fail with 9105.
   */
  ensureCloud() {
    if (this.globalData.cloudReady) return true;
    if (!wx.cloud) return false;
    const options = { traceUser: true };
    if (config.cloudEnv) options.env = config.cloudEnv;
    wx.cloud.init(options);
    this.globalData.cloudReady = true;
    return true;
  },
});

/** The appid the mini-program runs as ('touristappid' in tourist mode), '' when it cannot be read. */
function runningAppId() {
  try {
    const info = typeof wx !== 'undefined' && wx.getAccountInfoSync ? wx.getAccountInfoSync() : null;
    return (info && info.miniProgram && info.miniProgram.appId) || '';
  } catch (e) {
    return '';
  }
}
