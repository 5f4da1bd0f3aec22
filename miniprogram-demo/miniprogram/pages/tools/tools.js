// Balance and lookup by messageId, in whichever mode the login page selected (the client is shared).
const zhenzisms = require('../../utils/zhenzisms.js');
const config = require('../../config.js');
const loginLogic = require('../login/logic.js');
const logic = require('./logic.js');

const client = zhenzisms.client;

Page({
  data: {
    mode: 'direct',
    balance: '',
    balanceLoading: false,
    messageId: '',
    messageIdValid: false,
    lookupLoading: false,
    record: null, // {found, rows}
    error: null,
  },

  onLoad() {
    // Normally the login page has set the client up already; this covers opening this page first
    // (e.g. a DevTools compile mode starting here). init/initCloud may be called again safely.
    const app = getApp();
    const mode = app.globalData.mode || config.mode;
    if (mode === 'cloud') app.ensureCloud();
    app.globalData.mode = loginLogic.applyMode(client, config, mode);
  },

  onShow() {
    const app = getApp();
    const messageId = this.data.messageId || app.globalData.lastMessageId || '';
    this.setData({
      mode: app.globalData.mode,
      messageId,
      messageIdValid: logic.checkMessageId(messageId).valid,
    });
  },

  onBalance() {
    this.setData({ balanceLoading: true, error: null });
    client.balance((res) => {
      const outcome = loginLogic.describeResponse(res, zhenzisms.errorInfo);
      this.setData({
        balanceLoading: false,
        balance: outcome.ok ? logic.balanceText(outcome.data) : '',
        error: outcome.ok ? null : outcome.error,
      });
    });
  },

  onMessageIdInput(e) {
    const id = logic.checkMessageId(e.detail.value);
    this.setData({ messageId: id.value, messageIdValid: id.valid });
  },

  onLookup() {
    if (!this.data.messageIdValid) return;
    this.setData({ lookupLoading: true, record: null, error: null });
    client.findSmsByMessageId((res) => {
      const outcome = loginLogic.describeResponse(res, zhenzisms.errorInfo);
      this.setData({
        lookupLoading: false,
        record: outcome.ok ? logic.recordView(outcome.data) : null,
        error: outcome.ok ? null : outcome.error,
      });
    }, this.data.messageId);
  },
});
