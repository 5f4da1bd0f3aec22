// A stand-in for `wx-server-sdk` with the API surface the cloud function uses: init,
// getWXContext, DYNAMIC_CURRENT_ENV, and a document database kept in memory
// (collection → where / orderBy / limit / get / add / update, dot paths in queries).
// Every database call yields to the event loop first, as a network round trip would, so
// concurrent invocations interleave and conditional updates are really exercised.
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

function tick() {
  return new Promise((resolve) => setImmediate(resolve));
}

function createDatabase() {
  const collections = new Map();
  let nextId = 1;
  function docs(name) {
    if (!collections.has(name)) collections.set(name, []);
    return collections.get(name);
  }
  function query(name, where, order, max) {
    return {
      where: (q) => query(name, Object.assign({}, where, q), order, max),
      orderBy: (field, direction) => query(name, where, { field, direction }, max),
      limit: (n) => query(name, where, order, n),
      async get() {
        await tick();
        let found = docs(name).filter((d) => matches(d, where));
        if (order) {
          const sign = order.direction === 'desc' ? -1 : 1;
          found = found.slice().sort((a, b) => (at(a, order.field) > at(b, order.field) ? sign : at(a, order.field) < at(b, order.field) ? -sign : 0));
        }
        if (max !== undefined) found = found.slice(0, max);
        return { data: clone(found) };
      },
      // Merges `data` into every matching document, atomically (no await between match and write).
      async update({ data }) {
        await tick();
        const hit = docs(name).filter((d) => matches(d, where));
        for (const d of hit) Object.assign(d, clone(data));
        return { stats: { updated: hit.length } };
      },
    };
  }
  return {
    collection(name) {
      return Object.assign(query(name, {}), {
        async add({ data }) {
          await tick();
          const doc = Object.assign({ _id: 'doc-' + nextId++ }, clone(data));
          // As the real database does: an explicit _id that exists already is refused.
          if (docs(name).some((d) => d._id === doc._id)) throw new Error('duplicate key _id: ' + doc._id);
          docs(name).push(doc);
          return { _id: doc._id };
        },
      });
    },
    // For tests: everything stored in a collection.
    dump: (name) => clone(docs(name)),
  };
}

function createCloudSdk(options = {}) {
  const db = createDatabase();
  const context = { OPENID: options.openid || 'sim-openid-1', APPID: 'wxsimulator', UNIONID: '', CLIENTIP: '127.0.0.1' };
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
  };
}

module.exports = { createCloudSdk, createDatabase };
