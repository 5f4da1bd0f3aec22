'use strict';
// What each SDK call of a docs block got, and whether that is what the block's `expect` allows
// (docs/contributing.md, "What passes"). The vendor client is witnessed, never changed: callbacks,
// wx-style hooks and returned Promises are wrapped only to note each answer.
/** What an answer counts as: a code (number or the cloud's word) or a validateCode result. */
function answerOf(value, second) {
  if (value === null && second && second.code !== undefined) return second.code;
  if (typeof value === 'string') return value;
  if (value && value.data && typeof value.data === 'object' && 'code' in value.data) {
    const n = Number(value.data.code);
    return Number.isNaN(n) ? value.data.code : n;
  }
  if (value && value.code !== undefined) return value.code; // a ZhenziError
  return 'ok';
}

// 0: a vendor result; 'ok': validateCode; 'success': verifyPhoneNumber's answer.
const SUCCESS = new Set([0, 'ok', 'success']);

/** Check the calls a block made against its `expect` option; throws with what went wrong. */
function judge(calls, expect, where) {
  const seen = calls.map((c) => `${c.method} → ${c.answers.length ? c.answers.map(String).join(' + ') : 'no answer'}`).join('; ');
  const fail = (why) => {
    throw new Error(`${where}: ${why} (calls: ${seen || 'none'})`);
  };
  if (expect === 'none') {
    if (calls.length) fail('expected no SDK call');
    return;
  }
  for (const c of calls) {
    if (c.threw) continue;
    if (c.answers.length === 0) fail(`${c.method} was never answered`);
    if (c.answers.length > 1) fail(`${c.method} was answered ${c.answers.length} times`);
  }
  const answered = calls.filter((c) => !c.threw && c.counts);
  if (expect === 'settled') return;
  if (expect) {
    const want = expect.split(',').map((w) => (/^-?\d+$/.test(w) ? Number(w) : w));
    const got = answered.map((c) => c.answers[0]);
    if (JSON.stringify(got) !== JSON.stringify(want)) fail(`expected ${want.join(',')}, got ${got.join(',')}`);
    return;
  }
  if (answered.length === 0) fail('no SDK call was answered: a block that calls nothing says expect=none');
  const bad = answered.filter((c) => !SUCCESS.has(c.answers[0]));
  if (bad.length) fail(`not a success: ${bad.map((c) => `${c.method} → ${c.answers[0]}`).join(', ')}`);
}

const CLIENT_CALLS = ['send', 'sendCode', 'balance', 'findSmsByMessageId', 'validateCode', 'createCode', 'verifyPhoneNumber'];
const HOOKS = ['success', 'fail', 'complete'];

/** Record every call of the vendor client and each answer it gets, without changing what it does. */
function witnessClient(client, calls) {
  for (const method of CLIENT_CALLS) {
    const original = client[method];
    if (typeof original !== 'function') continue;
    client[method] = function witnessed(...args) {
      const call = { method, answers: [], counts: method !== 'createCode', threw: null };
      calls.push(call);
      let callback = false;
      const given = args.map((a, i) => {
        if (typeof a === 'function') {
          callback = true;
          return function answered(value, second) {
            call.answers.push(answerOf(value, second));
            return a.apply(this, arguments);
          };
        }
        if (i === 0 && a && typeof a === 'object' && HOOKS.some((h) => typeof a[h] === 'function')) {
          callback = true;
          const o = Object.assign({}, a);
          const only = HOOKS.filter((h) => typeof a[h] === 'function');
          for (const h of only) {
            o[h] = function hooked(res) {
              if (h !== 'complete' || only.length === 1) call.answers.push(answerOf(res));
              return a[h].apply(this, arguments);
            };
          }
          return o;
        }
        return a;
      });
      let ret;
      try {
        ret = original.apply(this, given);
      } catch (e) {
        call.threw = e;
        throw e;
      }
      if (method === 'validateCode' && typeof ret === 'string') call.answers.push(ret);
      else if (!callback && ret && typeof ret.then === 'function') {
        ret.then((v) => call.answers.push(answerOf(v)), (e) => call.answers.push(answerOf(null, e)));
      } else if (method === 'createCode') call.answers.push('made');
      return ret;
    };
  }
}

module.exports = { answerOf, judge, witnessClient };
