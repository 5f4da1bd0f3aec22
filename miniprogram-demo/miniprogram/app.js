const config = require('./config.js');

App({
  globalData: {
    mode: config.mode,   // 'direct' | 'cloud', switched on the login page, shared with the tools page
    lastMessageId: '',   // messageId of the last code sent, pre-filled on the tools page
  },

  onLaunch() {
    // Cloud mode needs wx.cloud.init once per launch. Harmless in direct mode; absent before 2.2.3
    // and in tourist mode (appid "touristappid"), where cloud mode cannot be used.
    if (wx.cloud) {
      const options = { traceUser: true };
      if (config.cloudEnv) options.env = config.cloudEnv;
      wx.cloud.init(options);
    }
  },
});
