'use strict';
// The small wx APIs: randomness, UI (recorded, never drawn), system and
// account info, navigation (recorded), canIUse.

const crypto = require('crypto');

const MAX_RANDOM = 1048576;

function createMisc(sim, asyncCall) {
  const { realm, options, mode } = sim;

  // Async, from the host CSPRNG; the ArrayBuffer is made in the context realm.
  function getRandomValues(o) {
    return asyncCall('getRandomValues', o, (finish) => {
      const length = o && o.length;
      if (!Number.isInteger(length) || length < 1 || length > MAX_RANDOM) {
        finish(false, { errMsg: `getRandomValues:fail invalid length ${length}: must be an integer in 1..${MAX_RANDOM}` });
        return;
      }
      crypto.randomBytes(length, (err, buf) => {
        if (err) finish(false, { errMsg: `getRandomValues:fail ${err.message}` });
        else finish(true, { randomValues: realm.arrayBuffer(buf), errMsg: 'getRandomValues:ok' });
      });
    });
  }

  const ui = (api, o, record, res) => asyncCall(api, o, (finish) => {
    const entry = Object.assign({ api }, record);
    sim.ui.push(entry);
    finish(true, Object.assign({ errMsg: `${api}:ok` }, res));
  });
  const pick = (o, keys) => {
    const out = {};
    if (o && typeof o === 'object') for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
    return out;
  };

  const systemInfo = () => ({
    brand: mode.ios ? 'iPhone' : 'devtools',
    model: mode.ios ? 'iPhone 12' : 'simulator',
    pixelRatio: 3,
    screenWidth: 390,
    screenHeight: 844,
    windowWidth: 390,
    windowHeight: 844,
    statusBarHeight: 47,
    language: 'zh_CN',
    version: '8.0.50',
    system: mode.ios ? 'iOS 15.0' : 'devtools',
    platform: mode.ios ? 'ios' : 'devtools',
    SDKVersion: options.sdkVersion || '3.6.0',
    benchmarkLevel: 1,
  });

  const nav = (api) => (o) => asyncCall(api, o, (finish) => {
    sim.navigations.push(Object.assign({ api }, pick(o, ['url', 'delta'])));
    finish(true, { errMsg: `${api}:ok` });
  });

  return {
    getRandomValues,
    showToast(o) {
      const rec = pick(o, ['title', 'icon', 'image', 'duration', 'mask']);
      sim.toasts.push(rec);
      return ui('showToast', o, rec);
    },
    hideToast: (o) => ui('hideToast', o, {}),
    showLoading: (o) => ui('showLoading', o, pick(o, ['title', 'mask'])),
    hideLoading: (o) => ui('hideLoading', o, {}),
    // The simulated user's answer is sim.modalAnswer (mp.modalAnswer): true = confirm.
    showModal: (o) => ui('showModal', o, pick(o, ['title', 'content', 'showCancel', 'confirmText', 'cancelText']),
      { confirm: !!sim.modalAnswer, cancel: !sim.modalAnswer }),
    setClipboardData: (o) => ui('setClipboardData', o, pick(o, ['data'])),
    getSystemInfoSync: () => realm.toContext(systemInfo()),
    getSystemInfo: (o) => asyncCall('getSystemInfo', o, (finish) => finish(true, Object.assign(systemInfo(), { errMsg: 'getSystemInfo:ok' }))),
    getWindowInfo: () => realm.toContext(pick(systemInfo(), ['pixelRatio', 'screenWidth', 'screenHeight', 'windowWidth', 'windowHeight', 'statusBarHeight'])),
    getDeviceInfo: () => realm.toContext(pick(systemInfo(), ['brand', 'model', 'system', 'platform', 'benchmarkLevel'])),
    getAppBaseInfo: () => realm.toContext(pick(systemInfo(), ['SDKVersion', 'language', 'version'])),
    getAccountInfoSync: () => realm.toContext({
      miniProgram: { envVersion: options.envVersion || 'develop', appId: sim.appid, version: '' },
    }),
    canIUse: () => true,
    navigateTo: nav('navigateTo'),
    redirectTo: nav('redirectTo'),
    navigateBack: nav('navigateBack'),
    switchTab: nav('switchTab'),
    reLaunch: nav('reLaunch'),
  };
}

module.exports = { createMisc, MAX_RANDOM };
