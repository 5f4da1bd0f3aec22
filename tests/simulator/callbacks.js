'use strict';
// The shape every asynchronous wx API shares: success / fail / complete
// callbacks, always on a later macrotask (never synchronously), and the
// Promise form when none of the three is given (base library >= 2.10.2).
// Exceptions thrown by callbacks are recorded in sim.errors, not rethrown.

function createAsyncApi(sim) {
  const { realm } = sim;

  /**
   * asyncCall(apiName, options, start, {promise})
   *   start(finish) begins the work; finish(ok, hostResult) delivers it once.
   * Returns a Promise of the context when promise !== false and no callback
   * was given, else undefined.
   */
  return function asyncCall(apiName, options, start, { promise = true } = {}) {
    const opts = options && typeof options === 'object' ? options : {};
    const hasCallback = ['success', 'fail', 'complete'].some((k) => typeof opts[k] === 'function');
    let settle = null;
    const result = !hasCallback && promise
      ? new realm.Promise((resolve, reject) => { settle = { resolve, reject }; })
      : undefined;
    const endOp = sim.beginOp(apiName);
    let finished = false;

    const finish = (ok, res) => {
      if (finished) return;
      finished = true;
      if (sim.disposed) { endOp(); return; }
      const value = realm.toContext(res);
      sim.macrotask(() => {
        try {
          const cb = ok ? opts.success : opts.fail;
          if (typeof cb === 'function') sim.callback(cb, value, `${apiName} ${ok ? 'success' : 'fail'}`);
          if (typeof opts.complete === 'function') sim.callback(opts.complete, value, `${apiName} complete`);
          if (settle) (ok ? settle.resolve : settle.reject)(value);
        } finally {
          endOp();
        }
      });
    };

    try {
      start(finish);
    } catch (e) {
      finish(false, { errMsg: `${apiName}:fail ${e && e.message ? e.message : e}` });
    }
    return result;
  };
}

module.exports = { createAsyncApi };
