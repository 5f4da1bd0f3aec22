// SMS login. The page wires UI events to the SDK; decisions and texts live in logic.js.
// utils/zhenzisms.js (and its .wasm.br) are copied in by ../../../../build.sh from dist/utils/.
//
// Cloud mode (default): sendCode and validateCode run in the cloud function `zhenzisms`; after 'ok'
// the page calls the cloud function `login`, which signs in only if zhenzisms confirms that this user
// verified this number (the page's 'ok' alone proves nothing to a backend).
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
  },

  onLoad() {
    getApp().ensureClient();
    this.setData({ showDevLink: isDevelopmentBuild() });
    // The wasm core loads asynchronously and calls made earlier wait for it; a failure is shown.
    client.ready().catch((err) => {
      const info = zhenzisms.errorInfo((err && err.code) || 9104);
      this.log('ready', null, null, info);
      this.update({ formError: logic.userError(info, 'verify').text });
    });
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
    const pending = client.validateCode((result) => {
      if (result === null) return; // (null, error): the check failed; the Promise below reports it
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
        this.update({ verifying: false, code: '', codeComplete: false, user: { number: logic.maskPhone(outcome.number), verifiedAt: outcome.verifiedAt } });
      } else {
        this.update({ verifying: false });
        this.showError(outcome);
      }
    };
    if (app.globalData.mode !== 'cloud') {
      this.log('login', { number }, { local: true, note: '直连模式没有后端：验证码只在手机上校验过，不能作为服务端登录凭据' }, null);
      done({ ok: true, number, verifiedAt: Date.now() });
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
    this.update(Object.assign({}, NO_ERRORS, { user: null, code: '', codeComplete: false, sentTo: '' }));
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
