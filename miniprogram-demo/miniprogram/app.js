const config = require('./config.js');

App({
  globalData: {
    mode: config.mode,   // 'direct' | 'cloud', switched on the login page, shared with the tools page
    lastMessageId: '',   // messageId of the last code sent, pre-filled on the tools page
    cloudReady: false,
  },

  onLaunch() {
    if (this.globalData.mode === 'cloud') this.ensureCloud();
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
