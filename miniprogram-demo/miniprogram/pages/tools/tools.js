// Developer page: mode and target, settings, the last sign-in and the path that verified it (one
// tap or SMS), balance, lookup by messageId, the last requests and the SDK's error table. It works on the same shared client as the login page (zhenzisms.client).
const zhenzisms = require('../../utils/zhenzisms.js');
const config = require('../../config.js');
const devlog = require('../../devlog.js');
const loginLogic = require('../login/logic.js');
const logic = require('./logic.js');

const client = zhenzisms.client;

Page({
  data: {
    mode: 'cloud',
    target: 'sandbox',
    modeHint: '',
    settings: [],
    balance: '',
    balanceLoading: false,
    balanceRefused: '',
    balanceError: null,
    messageId: '',
    messageIdValid: false,
    lookupLoading: false,
    record: null, // {found, rows}
    lookupRefused: '',
    lookupError: null,
    log: [],
    errors: [],
    signIn: [], // the last sign-in: number and which path verified it (via)
  },

  onLoad() {
    getApp().ensureClient();
    // errorTable() reads the wasm core, so it waits for it.
    client.ready().then(() => this.setData({ errors: logic.errorRows(zhenzisms.errorTable()) }), () => {});
  },

  onShow() {
    const g = getApp().globalData;
    const messageId = this.data.messageId || g.lastMessageId || '';
    this.showMode();
    this.setData({ messageId, messageIdValid: logic.checkMessageId(messageId).valid, signIn: logic.signInRows(g.lastSignIn) });
    this.showLog();
  },

  showMode() {
    const g = getApp().globalData;
    const account = loginLogic.directAccount(config, g.target);
    this.setData({ mode: g.mode, target: account.target, modeHint: logic.modeHint(g.mode), settings: logic.settingsRows(config, g.mode, account) });
  },

  showLog() {
    const log = (getApp().globalData.devLog || []).map((entry, i) => Object.assign(devlog.view(entry), { key: `${entry.at}-${i}` }));
    this.setData({ log });
  },

  onModeChange(e) {
    const g = getApp().globalData;
    getApp().useMode(e.detail.value ? 'cloud' : 'direct', g.target);
    this.setData({ balance: '', balanceRefused: '', balanceError: null, record: null, lookupRefused: '', lookupError: null });
    this.showMode();
  },

  onTargetChange(e) {
    getApp().useMode('direct', e.detail.value ? 'real' : 'sandbox');
    this.showMode();
  },

  /** A balance/lookup reply → {ok, data} or what to show instead (a refusal, or an error). */
  read(op, request, res) {
    const g = getApp().globalData;
    const outcome = loginLogic.describeResponse(res, zhenzisms.errorInfo);
    devlog.record(g, { op, mode: g.mode, request, response: res && res.data, error: outcome.ok ? null : outcome.info }, Date.now());
    this.showLog();
    if (outcome.ok) return { ok: true, data: outcome.data };
    const refused = logic.routeRefusal(g.mode, res, outcome.info);
    return { ok: false, refused, error: refused ? null : logic.errorView(outcome.info) };
  },

  onBalance() {
    this.setData({ balanceLoading: true, balanceRefused: '', balanceError: null });
    client.balance((res) => {
      const r = this.read('balance', {}, res);
      this.setData({
        balanceLoading: false,
        balance: r.ok ? logic.balanceText(r.data) : '',
        balanceRefused: r.ok ? '' : r.refused,
        balanceError: r.ok ? null : r.error,
      });
    });
  },

  onMessageIdInput(e) {
    const id = logic.checkMessageId(e.detail.value);
    this.setData({ messageId: id.value, messageIdValid: id.valid });
  },

  onLookup() {
    if (!this.data.messageIdValid) return;
    const messageId = this.data.messageId;
    this.setData({ lookupLoading: true, record: null, lookupRefused: '', lookupError: null });
    client.findSmsByMessageId((res) => {
      const r = this.read('findSmsByMessageId', { messageId }, res);
      this.setData({
        lookupLoading: false,
        record: r.ok ? logic.recordView(r.data) : null,
        lookupRefused: r.ok ? '' : r.refused,
        lookupError: r.ok ? null : r.error,
      });
    }, messageId);
  },
});
