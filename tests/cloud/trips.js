// Database round trips in a row, as the cloud function waits for them: a call made while none
// is in flight starts a trip; calls made alongside it (Promise.all) ride along. Both backends
// count this way, on the function's side of the wire, so the figure does not depend on how fast
// the database answers (tools/bench.js prints it; tests/cloudmode/trust.test.js bounds it).
'use strict';

function createTrips() {
  let inFlight = 0;
  let trips = 0;
  let calls = 0;
  return {
    /** Runs `work` (a database call) as one counted call; → its promise. */
    count(work) {
      calls++;
      if (inFlight === 0) trips++;
      inFlight++;
      let pending;
      try {
        pending = Promise.resolve(work());
      } catch (e) {
        pending = Promise.reject(e);
      }
      return pending.finally(() => {
        inFlight--;
      });
    },
    get trips() {
      return trips;
    },
    get calls() {
      return calls;
    },
    reset() {
      trips = 0;
      calls = 0;
    },
  };
}

// The real SDK's database() counted: the calls that talk to the service (get, add, update…)
// each count; the builders (collection, where, orderBy…) hand back counted objects.
const CALLS = new Set(['get', 'add', 'update', 'set', 'remove', 'count']);
const BUILDERS = new Set(['collection', 'where', 'orderBy', 'limit', 'skip', 'field', 'doc']);

function countedDatabase(db, trips) {
  return new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      if (CALLS.has(key)) return (...args) => trips.count(() => value.apply(target, args));
      if (BUILDERS.has(key)) return (...args) => countedDatabase(value.apply(target, args), trips);
      return value.bind(target);
    },
  });
}

module.exports = { createTrips, countedDatabase };
