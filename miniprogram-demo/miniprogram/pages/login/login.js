// Login: one tap first (WeChat's 手机号快速验证, 「微信手机号快捷登录」), the SMS code as the fallback
// (「其他手机号登录」, or by itself when the tap is declined or cannot work). The page wires UI events
// to the SDK; decisions and texts live in logic.js. utils/zhenzisms.js (and its .wasm.br) are copied
// in by ../../../../build.sh from dist/utils/.
//
// Cloud mode (default): the button's event goes to client.verifyPhoneNumber, which has the cloud
// function `zhenzisms` exchange WeChat's code; sendCode and validateCode run there too. After either
// proof the page calls the cloud function `login`, which signs in only if zhenzisms confirms that this
// user verified this number (the page's word alone proves nothing to a backend). Direct mode (the
// local sandbox) has no function to exchange the code: the button says so and opens the SMS form.
const zhenzisms = require('../../utils/zhenzisms.js');
const config = require('../../config.js');
const devlog = require('../../devlog.js');
const logic = require('./logic.js');

const client = zhenzisms.client;
let sendSeq = 0;

// Errors are cleared per field when the user acts on that field.
const NO_ERRORS = { phoneError: '', codeError: '', formError: '', agreeError: '' };
const FIELD_KEY = { phone: 'phoneError', code: 'codeError', form: 'formError' };

Page({
  data: {
    phone: '',
    phoneValid: false,
    phoneError: '',
    code: '',
    codeComplete: false,
    codeLength: config.codeLength,
    resendSeconds: config.resendSeconds,
    codeError: '',
    sentTo: '',        // masked number the last code went to
    formError: '',
    agreed: false,
    agreeError: '',
    verifying: false,  // validateCode, then the login cloud function
    canLogin: false,
    user: null,        // {number (masked), verifiedAt} once signed in
    showDevLink: false,
    banner: '',        // one line while the page runs against the local sandbox (development builds)
    smsForm: false,    // false: the one-tap view; true: the SMS form
    fallbackNote: '',  // why the page moved to the SMS form by itself (one line), or ''
    oneTapReady: false, // one tap can work here (cloud mode)
    oneTapBusy: false, // the cloud function is exchanging WeChat's code
  },

  onLoad() {
    getApp().ensureClient();
    this.setData({ showDevLink: isDevelopmentBuild() });
    this.showBanner();
    // The wasm core loads asynchronously and calls made earlier wait for it; a failure is shown.
    client.ready().catch((err) => {
      const info = zhenzisms.errorInfo((err && err.code) || 9104);
      this.log('ready', null, null, info);
      this.update({ formError: logic.userError(info, 'verify').text });
    });
  },

  // Back from the developer page, where the mode may have changed.
  onShow() {
    this.showBanner();
  },

  showBanner() {
    const g = getApp().globalData;
    const banner = isDevelopmentBuild() ? logic.sandboxBanner(g.mode, g.target, g.modeReason) : '';
    const oneTapReady = logic.oneTapReady(g.mode);
    if (banner !== this.data.banner || oneTapReady !== this.data.oneTapReady) this.setData({ banner, oneTapReady });
  },

  /** setData that also recomputes whether the login button is enabled. */
  update(patch) {
    const next = Object.assign({}, this.data, patch);
    patch.canLogin = logic.canLogin({ phoneValid: next.phoneValid, codeComplete: next.codeComplete, busy: next.verifying });
    this.setData(patch);
  },

  /** Record a call for the developer page (arguments and replies only, never the configuration). */
  log(op, request, response, error) {
    const app = getApp();
    devlog.record(app.globalData, { op, mode: app.globalData.mode, request, response, error }, Date.now());
  },

  showError(view) {
    const patch = {};
    patch[FIELD_KEY[view.field] || 'formError'] = view.text;
    this.update(patch);
  },

  // Returning the cleaned value makes the input show it (digits only, at most 11).
  onPhoneInput(e) {
    const phone = logic.checkPhone(e.detail.value);
    const patch = { phone: phone.value, phoneValid: phone.valid, phoneError: phone.error, formError: '' };
    if (phone.value !== this.data.phone) patch.sentTo = ''; // "sent to 138****8000" no longer applies
    this.update(patch);
    return phone.value;
  },

  onClearPhone() {
    this.update({ phone: '', phoneValid: false, phoneError: '', formError: '', sentTo: '' });
  },

  onCodeInput(e) {
    const code = logic.checkCode(e.detail.value, this.data.codeLength);
    this.update({ code: code.value, codeComplete: code.complete, codeError: '', formError: '' });
    return code.value;
  },

  onToggleAgree() {
    this.setData({ agreed: !this.data.agreed, agreeError: '' });
  },

  // ---- one tap ----

  // The plain 「微信手机号快捷登录」 (no open-type): the terms are not agreed yet, or one tap cannot
  // work here (the sandbox): say so, and in the second case open the SMS form.
  onOneTapBlocked() {
    if (!this.data.oneTapReady) {
      this.openSmsForm(logic.oneTapUnavailable(getApp().globalData.modeReason));
      return;
    }
    this.setData({ agreeError: '请先阅读并同意用户协议和隐私政策' });
  },

  // bindgetphonenumber: the event as it comes (a code after consent; errMsg '…fail user deny' etc.).
  onGetPhoneNumber(e) {
    if (this.data.oneTapBusy) return;
    const detail = (e && e.detail) || {};
    this.update({ oneTapBusy: true, formError: '', agreeError: '' });
    client.verifyPhoneNumber((answer) => {
      const outcome = logic.phoneOutcome(answer);
      // WeChat's code is a one-time credential: the developer page sees only whether there was one.
      this.log('verifyPhoneNumber', { errMsg: detail.errMsg || '', code: detail.code ? '(一次性 code)' : '' }, answer, answer && answer.error ? answer.error : null);
      if (outcome.ok) {
        this.signIn(outcome.number);
        return;
      }
      this.update({ oneTapBusy: false });
      if (outcome.fallback) this.openSmsForm(outcome.line);
      else this.showError(outcome);
    }, e);
  },

  onOtherNumber() {
    this.update({ smsForm: true, fallbackNote: '', formError: '', agreeError: '' });
  },

  onBackToOneTap() {
    this.update(Object.assign({}, NO_ERRORS, { smsForm: false, fallbackNote: '' }));
  },

  /** The SMS form, with one line saying why the page came here by itself. */
  openSmsForm(line) {
    this.update({ smsForm: true, fallbackNote: line || '', formError: '' });
  },

  // bind:send of <sms-code-button>: the button is locked until start() or reset().
  onSendCode() {
    // null if the component is not rendered (it always is here; tolerated so the flow never throws).
    const button = this.selectComponent ? this.selectComponent('#code-btn') : null;
    const number = this.data.phone;
    const mode = getApp().globalData.mode;
    sendSeq += 1;
    const messageId = mode === 'cloud' ? '' : logic.makeMessageId(Date.now(), sendSeq);
    const options = logic.sendCodeOptions(number, config, messageId);
    this.update(Object.assign({}, NO_ERRORS, { sentTo: '' }));
    client.sendCode((res) => {
      const outcome = logic.describeResponse(res, zhenzisms.errorInfo);
      this.log('sendCode', options, res && res.data, outcome.ok ? null : outcome.info);
      if (outcome.ok) {
        if (button) button.start();
        if (messageId) getApp().globalData.lastMessageId = messageId;
        this.update({ sentTo: logic.maskPhone(number) });
        wx.showToast({ title: '验证码已发送', icon: 'success' });
      } else {
        if (button) button.reset();
        this.showError(logic.userError(outcome.info, 'send'));
      }
    }, options);
  },

  onVerify() {
    if (!this.data.canLogin) return;
    if (!this.data.agreed) {
      this.setData({ agreeError: '请先阅读并同意用户协议和隐私政策' });
      return;
    }
    const number = this.data.phone;
    const code = this.data.code;
    this.update({ verifying: true, codeError: '', formError: '', phoneError: '' });
    // The callback's second argument is not used here: only a result (a string) is an answer; a
    // check that failed gives null, and the Promise below reports it.
    const pending = client.validateCode((result) => {
      if (result === null || result === undefined) return;
      this.log('validateCode', { number, code: '*'.repeat(code.length) }, result, null);
      if (result === 'ok') {
        this.signIn(number);
        return;
      }
      this.update({ verifying: false });
      this.showError(logic.resultMessage(result));
    }, number, code);
    if (pending && typeof pending.catch === 'function') {
      pending.catch((err) => {
        const info = zhenzisms.errorInfo((err && err.code) || 9105);
        this.log('validateCode', { number }, null, Object.assign({}, info, { detail: String(err && err.reason || err) }));
        this.update({ verifying: false });
        this.showError(logic.userError(info, 'verify'));
      });
    }
  },

  // The backend step. Cloud mode: the `login` cloud function asks zhenzisms whether this user
  // verified this number. Direct mode has no backend: the code was checked on the phone, which is
  // no proof for a server (the developer page says so), so the demo signs in locally.
  signIn(number) {
    const app = getApp();
    const done = (outcome) => {
      if (outcome.ok) {
        const masked = logic.maskPhone(outcome.number);
        // For the developer page: which path verified this sign-in (zhenzisms's `via`).
        app.globalData.lastSignIn = { number: masked, via: outcome.via, at: outcome.verifiedAt };
        this.update({ verifying: false, oneTapBusy: false, fallbackNote: '', code: '', codeComplete: false, user: { number: masked, verifiedAt: outcome.verifiedAt, viaText: logic.viaText(outcome.via) } });
      } else {
        this.update({ verifying: false, oneTapBusy: false });
        this.showError(outcome);
      }
    };
    if (app.globalData.mode !== 'cloud') {
      this.log('login', { number }, { local: true, note: '直连模式没有后端：验证码只在手机上校验过，不能作为服务端登录凭据' }, null);
      done({ ok: true, number, verifiedAt: Date.now(), via: 'sms' });
      return;
    }
    if (!app.ensureCloud()) {
      const info = zhenzisms.errorInfo(9105);
      this.log('login', { number }, null, info);
      done({ ok: false, field: 'form', text: logic.userError(info, 'verify').text });
      return;
    }
    const request = { name: config.loginFunctionName, data: { number } };
    wx.cloud.callFunction(request).then((r) => {
      const result = r && r.result;
      const outcome = logic.loginOutcome(result);
      this.log('login', request, result, null);
      done(outcome);
    }, (err) => {
      const info = zhenzisms.errorInfo(9105);
      this.log('login', request, null, Object.assign({}, info, { detail: String(err && err.errMsg || err) }));
      done({ ok: false, field: 'form', text: logic.userError(info, 'verify').text });
    });
  },

  onSignOut() {
    this.update(Object.assign({}, NO_ERRORS, { user: null, code: '', codeComplete: false, sentTo: '', smsForm: false, fallbackNote: '' }));
  },
});

/** The developer link shows in DevTools, preview and trial builds, never in the released app. */
function isDevelopmentBuild() {
  try {
    const info = typeof wx !== 'undefined' && wx.getAccountInfoSync ? wx.getAccountInfoSync() : null;
    const env = info && info.miniProgram && info.miniProgram.envVersion;
    return env === 'develop' || env === 'trial';
  } catch (e) {
    return false;
  }
}
