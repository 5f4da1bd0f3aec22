// A stand-in for `wx-server-sdk` with the API surface the cloud function uses: init,
// getWXContext, DYNAMIC_CURRENT_ENV, and a document database kept in memory
// (collection → where / orderBy / limit / get / add / update, dot paths in queries).
// Every database call yields to the event loop first, as a network round trip would, so
// concurrent invocations interleave and conditional updates are really exercised.
// Where it matters it behaves like the real SDK (README.md lists what still differs):
// where() drops fields whose value is undefined and throws when every field is undefined;
// a collection that was not created fails with errCode -502005; get() returns at most 100;
// callFunction reaches the functions a test registers, as the same user.
// For tests: db.addAsPage(openid, collection, data) writes a document as a page's client SDK
// would (the platform stamps _openid; the page may choose any _id), db.dump(name) reads a
// collection, and db.trips counts database round trips in a row (a call made while none is
// in flight starts one; calls made alongside it do not).
'use strict';

function clone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function at(doc, dotted) {
  return dotted.split('.').reduce((v, k) => (v == null ? undefined : v[k]), doc);
}

function matches(doc, query) {
  return Object.keys(query).every((k) => at(doc, k) === query[k]);
}

// As @cloudbase/database does: undefined fields are left out of the query (so a where()
// meant for one user may match everyone's documents), and a query left empty that way throws.
function cleanQuery(q) {
  const keys = Object.keys(q || {});
  const kept = keys.filter((k) => q[k] !== undefined);
  if (keys.length > 0 && kept.length === 0) throw new Error('errCode: -1 | errMsg: query field value can not be undefined');
  return Object.fromEntries(kept.map((k) => [k, q[k]]));
}

function missingCollection(name) {
  const e = new Error('errCode: -502005 database collection not exists | errMsg: [ResourceNotFound] Db or Table not exist: ' + name);
  e.errCode = -502005;
  return e;
}

function tick() {
  return new Promise((resolve) => setImmediate(resolve));
}

const MAX_GET = 100; // the server SDK's default (and cap without limit()) per get()

// `collections`: the ones that exist (created in the console); others fail like the real ones.
function createDatabase({ collections: names = ['sms-record'] } = {}) {
  const collections = new Map(names.map((n) => [n, []]));
  let nextId = 1;
  let inFlight = 0;
  const counter = { trips: 0, calls: 0 };
  // Counts one database call, as a round trip when none is in flight.
  async function trip(work) {
    counter.calls++;
    if (inFlight === 0) counter.trips++;
    inFlight++;
    try {
      await tick();
      return work();
    } finally {
      inFlight--;
    }
  }
  function docs(name) {
    if (!collections.has(name)) throw missingCollection(name);
    return collections.get(name);
  }
  function query(name, where, order, max) {
    return {
      where: (q) => query(name, Object.assign({}, where, cleanQuery(q)), order, max),
      orderBy: (field, direction) => query(name, where, { field, direction }, max),
      limit: (n) => query(name, where, order, n),
      get: () => trip(() => {
        let found = docs(name).filter((d) => matches(d, where));
        if (order) {
          const sign = order.direction === 'desc' ? -1 : 1;
          found = found.slice().sort((a, b) => (at(a, order.field) > at(b, order.field) ? sign : at(a, order.field) < at(b, order.field) ? -sign : 0));
        }
        found = found.slice(0, Math.min(max === undefined ? MAX_GET : max, MAX_GET));
        return { data: clone(found) };
      }),
      // Merges `data` into every matching document, atomically (no await between match and write).
      update: ({ data }) => trip(() => {
        const hit = docs(name).filter((d) => matches(d, where));
        for (const d of hit) Object.assign(d, clone(data));
        return { stats: { updated: hit.length } };
      }),
    };
  }
  // As the real database does: an explicit _id that exists already is refused.
  function insert(name, data) {
    const doc = Object.assign({ _id: 'doc-' + nextId++ }, data);
    if (docs(name).some((d) => d._id === doc._id)) throw Object.assign(new Error('duplicate key _id: ' + doc._id), { errCode: -502001 });
    docs(name).push(doc);
    return { _id: doc._id };
  }
  return {
    collection(name) {
      return Object.assign(query(name, {}), {
        add: ({ data }) => trip(() => insert(name, clone(data))),
      });
    },
    createCollection: async (name) => {
      await tick();
      if (!collections.has(name)) collections.set(name, []);
    },
    // For tests: everything stored in a collection ([] if it does not exist).
    dump: (name) => (collections.has(name) ? clone(docs(name)) : []),
    // For tests: a document added by a mini-program page (wx.cloud.database().collection(name)
    // .add({data})) under a permission that lets pages write: the platform stamps the page
    // user's _openid over whatever the data says; any _id the page chooses is allowed.
    addAsPage: async (openid, name, data) => insert(name, Object.assign(clone(data), { _openid: openid })),
    // For tests: database round trips in a row and calls since the last reset.
    get trips() {
      return counter.trips;
    },
    get calls() {
      return counter.calls;
    },
    resetTrips() {
      counter.trips = 0;
      counter.calls = 0;
    },
  };
}

function createCloudSdk(options = {}) {
  const db = createDatabase({ collections: options.collections });
  const context = { OPENID: 'openid' in options ? options.openid : 'sim-openid-1', APPID: 'wxsimulator', UNIONID: '', CLIENTIP: '127.0.0.1', SOURCE: 'wx_client', ENV: 'env' in options ? options.env : 'test-env-1' };
  return {
    DYNAMIC_CURRENT_ENV: Symbol('DYNAMIC_CURRENT_ENV'),
    inits: [],
    context, // tests change OPENID to act as another user
    init(opts) {
      this.inits.push(opts);
    },
    getWXContext: () => Object.assign({}, context),
    database: () => db,
    db,
    // Cloud functions another function may call: name → exports.main. The callee sees the
    // caller's user (OPENID) — the assumption the guide states — and SOURCE 'wx_client,scf'.
    functions: {},
    async callFunction({ name, data }) {
      const main = this.functions[name];
      if (!main) throw Object.assign(new Error('errCode: -501000 FunctionName parameter could not be found'), { errCode: -501000 });
      const source = context.SOURCE;
      context.SOURCE = source + ',scf';
      try {
        const result = await main(JSON.parse(JSON.stringify(data || {})), {});
        return { result: JSON.parse(JSON.stringify(result === undefined ? null : result)), errMsg: 'cloud.callFunction:ok' };
      } finally {
        context.SOURCE = source;
      }
    },
  };
}

module.exports = { createCloudSdk, createDatabase };
