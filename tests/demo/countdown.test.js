'use strict';
// The <sms-code-button> custom component, rendered by miniprogram-simulate (j-component + exparser),
// with node:test's mock timers driving both setTimeout and Date — so a 60 s countdown takes no time
// and a "hidden" page really gets no timer callbacks while the clock moves on.
const { test, describe } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const { simulate, loadDemoComponent, DEMO, sameAttr } = require('./helpers/simulate');

const countdown = require(path.join(DEMO, 'components/sms-code-button/countdown.js'));
const COMPONENT = 'components/sms-code-button/index';
const T0 = 1700000000000; // any fixed wall-clock start

// Microtasks are not mocked: j-component delivers dispatched events through Promise.then.
const flush = () => new Promise((resolve) => setImmediate(resolve));

function mount(t, props) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0 });
  const comp = simulate.render(loadDemoComponent(COMPONENT), props);
  const events = [];
  ['send', 'start', 'tick', 'end'].forEach((name) => {
    comp.addEventListener(name, (e) => events.push({ name, detail: e.detail }));
  });
  const parent = document.createElement('parent-wrapper');
  comp.attach(parent);
  const button = () => comp.querySelector('#btn');
  const attr = (name) => {
    const found = button().toJSON().attrs.find((a) => sameAttr(a.name, name));
    return found && found.value;
  };
  const label = () => button().toJSON().children.join('');
  const tap = async () => {
    button().dispatchEvent('tap');
    await flush();
  };
  const names = (name) => events.filter((e) => e.name === name);
  return { comp, events, attr, label, tap, names, parent };
}

describe('countdown arithmetic (countdown.js)', () => {
  test('remaining rounds up and reaches 0 exactly at the end time', () => {
    const end = T0 + 60000;
    assert.equal(countdown.remaining(end, T0), 60);
    assert.equal(countdown.remaining(end, end - 1), 1);
    assert.equal(countdown.remaining(end, end - 1001), 2);
    assert.equal(countdown.remaining(end, end), 0);
    assert.equal(countdown.remaining(end, end + 5000), 0);
    assert.equal(countdown.remaining(0, T0), 0, 'no end time means idle');
  });

  test('the next tick lands where the shown number changes', () => {
    const end = T0 + 60000;
    for (const now of [T0, T0 + 1, T0 + 250, T0 + 999, T0 + 59999]) {
      const d = countdown.nextTickDelay(end, now);
      assert.ok(d > 0 && d <= 1000, `delay ${d} in (0, 1000]`);
      assert.equal(countdown.remaining(end, now + d), countdown.remaining(end, now) - 1);
      assert.equal(countdown.remaining(end, now + d - 1), countdown.remaining(end, now));
    }
  });

  test('endTime and label', () => {
    assert.equal(countdown.remaining(countdown.endTime(T0, 60), T0), 60);
    assert.equal(countdown.label(0, 'idle', '{s}s'), 'idle');
    assert.equal(countdown.label(7, 'idle', '还剩{s}秒'), '还剩7秒');
  });
});

describe('<sms-code-button> under miniprogram-simulate', () => {
  test('the default texts: idle, counting (fixed width in WXSS), sending', async (t) => {
    const { label, tap, comp } = mount(t, {});
    assert.equal(label(), '获取验证码');
    await tap();
    assert.equal(label(), '发送中');
    comp.instance.start(60);
    assert.equal(label(), '重新获取 60s');
  });

  test('renders idle with its text, enabled', (t) => {
    const { label, attr, comp } = mount(t, { text: '发送验证码' });
    assert.equal(label(), '发送验证码');
    assert.equal(attr('aria-disabled'), false);
    assert.equal(comp.data.remaining, 0);
  });

  test('a tap emits send once and locks the button until start() or reset()', async (t) => {
    const { tap, names, attr, label, comp } = mount(t, { seconds: 60 });
    await tap();
    assert.equal(names('send').length, 1);
    assert.equal(attr('aria-disabled'), true, 'locked while the request is in flight');
    assert.equal(label(), '发送中', 'says it is sending');
    await tap();
    assert.equal(names('send').length, 1, 'a second tap while sending is ignored');

    comp.instance.reset();
    assert.equal(attr('aria-disabled'), false);
    assert.equal(label(), '获取验证码');
    await tap();
    assert.equal(names('send').length, 2);
  });

  test('counts down every second, disabled while counting, re-enabled at 0 with end', async (t) => {
    const seconds = 5;
    const { tap, names, attr, label, comp } = mount(t, { seconds, countingText: '{s}s' });
    await tap();
    comp.instance.start();

    const start = names('start');
    assert.equal(start.length, 1);
    assert.equal(start[0].detail.seconds, seconds);
    assert.equal(start[0].detail.endAt, T0 + seconds * 1000);
    assert.equal(label(), `${seconds}s`);
    assert.equal(attr('aria-disabled'), true);
    assert.ok(!comp.data.sending);
    assert.match(attr('class'), /\bis-counting\b/, 'the counting style (a readable grey)');

    await tap();
    assert.equal(names('send').length, 1, 'taps while counting are ignored');

    for (let s = seconds - 1; s >= 1; s--) {
      t.mock.timers.tick(1000);
      assert.equal(label(), `${s}s`);
      assert.equal(attr('aria-disabled'), true);
    }
    assert.equal(names('end').length, 0);
    t.mock.timers.tick(1000);
    assert.equal(names('end').length, 1);
    assert.equal(attr('aria-disabled'), false);
    assert.equal(label(), '获取验证码');
    assert.doesNotMatch(attr('class'), /is-counting|is-locked/);
    assert.deepEqual(names('tick').map((e) => e.detail.remaining), [5, 4, 3, 2, 1]);

    t.mock.timers.tick(10000);
    assert.equal(names('end').length, 1, 'no further events once idle');
    await tap();
    assert.equal(names('send').length, 2, 'usable again');
  });

  test('start(seconds) overrides the property', (t) => {
    const { comp, label } = mount(t, { seconds: 60, countingText: '{s}' });
    comp.instance.start(3);
    assert.equal(label(), '3');
    t.mock.timers.tick(3000);
    assert.equal(comp.data.remaining, 0);
  });

  test('the disabled property (invalid number) locks it and taps do nothing', async (t) => {
    const { comp, tap, names, attr } = mount(t, { disabled: true });
    assert.equal(attr('aria-disabled'), true);
    await tap();
    assert.equal(names('send').length, 0);
    comp.setData({ disabled: false });
    assert.equal(attr('aria-disabled'), false);
    await tap();
    assert.equal(names('send').length, 1);
  });

  test('stays disabled at the end of the countdown if the number became invalid meanwhile', (t) => {
    const { comp, attr, names } = mount(t, { seconds: 2 });
    comp.instance.start();
    comp.setData({ disabled: true });
    t.mock.timers.tick(2000);
    assert.equal(names('end').length, 1);
    assert.equal(attr('aria-disabled'), true);
  });

  test('page hide stops the timer; show recomputes from the end time', (t) => {
    const { comp, label, names } = mount(t, { seconds: 60, countingText: '{s}' });
    comp.instance.start();
    t.mock.timers.tick(5000);
    assert.equal(label(), '55');

    comp.triggerPageLifeTime('hide');
    const ticksBefore = names('tick').length;
    t.mock.timers.tick(30000);
    assert.equal(names('tick').length, ticksBefore, 'no ticks while the page is hidden');
    assert.equal(label(), '55', 'nothing re-rendered while hidden');

    comp.triggerPageLifeTime('show');
    assert.equal(label(), '25', 'recomputed from the stored end time, not from the last tick');
    t.mock.timers.tick(1000);
    assert.equal(label(), '24');
  });

  test('a countdown that ended while hidden ends (once) on show', (t) => {
    const { comp, label, names, attr } = mount(t, { seconds: 60 });
    comp.instance.start();
    comp.triggerPageLifeTime('hide');
    t.mock.timers.tick(90000);
    assert.equal(names('end').length, 0);
    comp.triggerPageLifeTime('show');
    assert.equal(names('end').length, 1);
    assert.equal(attr('aria-disabled'), false);
    assert.equal(label(), '获取验证码');
    comp.triggerPageLifeTime('show');
    assert.equal(names('end').length, 1);
  });

  test('detach clears its timers', (t) => {
    const { comp, names } = mount(t, { seconds: 10 });
    comp.instance.start();
    const ticks = names('tick').length;
    comp.detach();
    t.mock.timers.tick(20000);
    assert.equal(names('tick').length, ticks);
    assert.equal(names('end').length, 0);
  });

  test('reset() stops a running countdown without an end event', (t) => {
    const { comp, names, attr } = mount(t, { seconds: 10 });
    comp.instance.start();
    t.mock.timers.tick(3000);
    comp.instance.reset();
    assert.equal(attr('aria-disabled'), false);
    t.mock.timers.tick(20000);
    assert.equal(names('end').length, 0);
  });

  test('unlocks by itself if the page never answers a send', async (t) => {
    const { tap, attr, names } = mount(t, { pendingTimeout: 5000 });
    await tap();
    assert.equal(attr('aria-disabled'), true);
    t.mock.timers.tick(4999);
    assert.equal(attr('aria-disabled'), true);
    t.mock.timers.tick(1);
    assert.equal(attr('aria-disabled'), false);
    assert.equal(names('start').length, 0);
  });

  test('with storage-key the countdown survives leaving and re-opening the page', (t) => {
    const store = new Map();
    const saved = {};
    ['getStorageSync', 'setStorageSync', 'removeStorageSync'].forEach((k) => { saved[k] = wx[k]; });
    wx.getStorageSync = (k) => (store.has(k) ? store.get(k) : '');
    wx.setStorageSync = (k, v) => store.set(k, v);
    wx.removeStorageSync = (k) => store.delete(k);
    t.after(() => Object.assign(wx, saved));

    const first = mount(t, { seconds: 60, storageKey: 'code_btn_end', countingText: '{s}' });
    first.comp.instance.start();
    assert.equal(store.get('code_btn_end'), T0 + 60000);
    t.mock.timers.tick(10000);
    first.comp.detach(); // page unloaded

    t.mock.timers.tick(20000);
    const comp2 = simulate.render(loadDemoComponent(COMPONENT), { seconds: 60, storageKey: 'code_btn_end', countingText: '{s}' });
    comp2.attach(document.createElement('parent-wrapper'));
    assert.equal(comp2.data.label, '30');
    assert.equal(comp2.data.locked, true);
    t.mock.timers.tick(30000);
    assert.equal(comp2.data.locked, false);
    assert.equal(store.has('code_btn_end'), false, 'cleared once over');
  });
});
