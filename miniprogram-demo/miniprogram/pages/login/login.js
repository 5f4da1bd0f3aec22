// Verification-code login. The page only wires UI events to the SDK; the decisions live in logic.js.
// utils/zhenzisms.js (and its .wasm.br) are copied in by ../../../../build.sh from dist/utils/.
const zhenzisms = require('../../utils/zhenzisms.js');
const config = require('../../config.js');
const logic = require('./logic.js');

const client = zhenzisms.client;
let sendSeq = 0;

Page({
  data: {
    mode: 'direct',
    modeHint: '',
    sdkState: '正在加载 SDK…',
    phone: '',
    phoneValid: false,
    phoneHint: '',
    code: '',
    codeLength: config.codeLength,
    resendSeconds: config.resendSeconds,
    verifying: false,
    sentTo: '',        // number the last code went to, shown under the form
    messageId: '',
    result: null,      // {ok, text} from logic.resultMessage
    error: null,       // {title, solution, retry} from logic.errorDisplay
  },

  onLoad() {
    this.useMode(getApp().globalData.mode || config.mode);
    // The wasm core loads asynchronously; calls made earlier are queued, so this is only for display.
    client.ready().then(
      () => this.setData({ sdkState: '' }),
      (err) => this.setData({
        sdkState: 'SDK 加载失败',
        error: logic.errorDisplay(zhenzisms.errorInfo((err && err.code) || 9104)),
      }),
    );
  },

  useMode(mode) {
    const app = getApp();
    if (mode === 'cloud') app.ensureCloud();
    const applied = logic.applyMode(client, config, mode);
    app.globalData.mode = applied;
    this.setData({ mode: applied, modeHint: logic.modeHint(applied), result: null, error: null });
  },

  onModeChange(e) {
    this.useMode(e.detail.value ? 'cloud' : 'direct');
  },

  // Returning the cleaned value makes the input show it (digits only, at most 11).
  onPhoneInput(e) {
    const phone = logic.checkPhone(e.detail.value);
    this.setData({ phone: phone.value, phoneValid: phone.valid, phoneHint: phone.hint });
    return phone.value;
  },

  onCodeInput(e) {
    const code = logic.checkCode(e.detail.value, this.data.codeLength);
    this.setData({ code: code.value, result: null });
    return code.value;
  },

  // bind:send of <sms-code-button>: the button is already locked until start() or reset().
  onSendCode() {
    // null if the component is not rendered (it always is here; tolerated so the flow never throws).
    const button = this.selectComponent ? this.selectComponent('#code-btn') : null;
    const number = this.data.phone;
    sendSeq += 1;
    const messageId = logic.makeMessageId(Date.now(), sendSeq);
    this.setData({ result: null, error: null });
    client.sendCode((res) => {
      const outcome = logic.describeResponse(res, zhenzisms.errorInfo);
      if (outcome.ok) {
        if (button) button.start();
        getApp().globalData.lastMessageId = messageId;
        this.setData({ sentTo: number, messageId });
        wx.showToast({ title: '验证码已发送', icon: 'success' });
      } else {
        if (button) button.reset();
        this.setData({ error: outcome.error });
      }
    }, logic.sendCodeOptions(number, config, messageId));
  },

  onVerify() {
    if (this.data.verifying) return;
    const number = this.data.phone;
    const code = this.data.code;
    this.setData({ verifying: true, result: null, error: null });
    const done = (result) => {
      this.setData({ verifying: false, result: logic.resultMessage(result) });
      if (result === 'ok') this.setData({ code: '' }); // single use: the SDK has cleared it too
    };
    // The async form works in both modes (in cloud mode it is the only one).
    const pending = client.validateCode(done, number, code);
    if (pending && typeof pending.catch === 'function') {
      pending.catch((err) => {
        this.setData({
          verifying: false,
          error: logic.errorDisplay(zhenzisms.errorInfo((err && err.code) || 9105), err && err.reason),
        });
      });
    }
  },
});
