// <sms-code-button>: a text-style "获取验证码" with a resend countdown.
//
// Usage (page.wxml):
//   <sms-code-button id="code-btn" seconds="60" disabled="{{!phoneValid}}" bind:send="onSendCode" />
// and in bind:send, after the SMS went out: this.selectComponent('#code-btn').start();
// or, when it failed: this.selectComponent('#code-btn').reset();
//
// Events: send (user asked for a code), start {seconds, endAt}, tick {remaining}, end.
// The countdown survives the page being hidden (another page on top, app in the background): it keeps
// the absolute end time, stops its timer on hide and recomputes on show. With `storage-key` set, the
// end time is also saved in storage, so leaving and re-opening the page keeps the countdown too.
const countdown = require('./countdown.js');

Component({
  externalClasses: ['custom-class'],

  properties: {
    seconds: { type: Number, value: 60 },
    // Set by the page, e.g. while the phone number is invalid.
    disabled: { type: Boolean, value: false },
    text: { type: String, value: '获取验证码' },
    countingText: { type: String, value: '重新获取 {s}s' },
    sendingText: { type: String, value: '发送中' },
    storageKey: { type: String, value: '' },
    // If the page neither calls start() nor reset() within this time after `send`, unlock again.
    pendingTimeout: { type: Number, value: 20000 },
  },

  data: {
    remaining: 0,
    sending: false,
    locked: false,
    label: '获取验证码',
  },

  observers: {
    'disabled, text, countingText, sendingText': function () {
      this._render(this.data.remaining);
    },
  },

  lifetimes: {
    attached() {
      this._endAt = this._loadEndAt();
      this._counting = this._endAt > 0;
      this._tick();
    },
    detached() {
      this._clearTimers();
    },
  },

  pageLifetimes: {
    show() {
      this._tick(); // the end time did not move while hidden; only the clock did
    },
    hide() {
      this._clearTimer();
    },
  },

  methods: {
    onTap() {
      if (this.data.locked) return;
      this.setData({ sending: true });
      this._render(this.data.remaining);
      this._clearPending();
      this._pendingTimer = setTimeout(() => this.reset(), this.data.pendingTimeout);
      this.triggerEvent('send', {});
    },

    /** Start (or restart) the countdown; `seconds` defaults to the `seconds` property. */
    start(seconds) {
      const s = seconds > 0 ? seconds : this.data.seconds;
      this._clearPending();
      this._endAt = countdown.endTime(Date.now(), s);
      this._counting = true;
      this._saveEndAt(this._endAt);
      this.setData({ sending: false });
      this.triggerEvent('start', { seconds: s, endAt: this._endAt });
      this._tick();
    },

    /** Stop counting and unlock (e.g. the send failed). Does not emit `end`. */
    reset() {
      this._clearTimers();
      this._endAt = 0;
      this._counting = false;
      this._saveEndAt(0);
      this.setData({ sending: false });
      this._render(0);
    },

    /** Seconds left, recomputed from the clock (not from the last tick). */
    remaining() {
      return countdown.remaining(this._endAt, Date.now());
    },

    _tick() {
      this._clearTimer();
      const now = Date.now();
      const left = countdown.remaining(this._endAt, now);
      this._render(left);
      if (left > 0) {
        this.triggerEvent('tick', { remaining: left });
        this._timer = setTimeout(() => this._tick(), countdown.nextTickDelay(this._endAt, now));
        return;
      }
      if (this._counting) {
        this._counting = false;
        this._endAt = 0;
        this._saveEndAt(0);
        this.triggerEvent('end', {});
      }
    },

    _render(left) {
      const data = this.data;
      const locked = !!(data.disabled || data.sending || left > 0);
      const label = data.sending && left === 0 ? data.sendingText : countdown.label(left, data.text, data.countingText);
      if (left !== data.remaining || locked !== data.locked || label !== data.label) {
        this.setData({ remaining: left, locked, label });
      }
    },

    _clearTimer() {
      if (this._timer) {
        clearTimeout(this._timer);
        this._timer = null;
      }
    },

    _clearPending() {
      if (this._pendingTimer) {
        clearTimeout(this._pendingTimer);
        this._pendingTimer = null;
      }
    },

    _clearTimers() {
      this._clearTimer();
      this._clearPending();
    },

    _loadEndAt() {
      const key = this.data.storageKey;
      if (!key || typeof wx === 'undefined' || !wx.getStorageSync) return 0;
      const value = Number(wx.getStorageSync(key)); // '' (missing) → 0
      return value > Date.now() ? value : 0;
    },

    _saveEndAt(endAt) {
      const key = this.data.storageKey;
      if (!key || typeof wx === 'undefined') return;
      try {
        if (endAt) wx.setStorageSync(key, endAt);
        else wx.removeStorageSync(key);
      } catch (e) {
        // Storage full or unavailable: the in-memory countdown still works.
      }
    },
  },
});
