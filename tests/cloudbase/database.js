// The document database behind our local CloudBase endpoint: what the real service does with the
// `database.*` actions wx-server-sdk 4.0.2 (@cloudbase/node-sdk 3.17.2) sends. Documents and
// queries arrive as canonical EJSON strings (read with the `bson` package the SDK uses), queries
// and updates in MongoDB's language (nested updates already flattened into `$set` dot paths by the
// SDK). Kept in memory; only the operators listed below: anything else is refused loudly
// (DATABASE_INVALID_OPERRATOR) rather than answered wrongly.
'use strict';
const crypto = require('crypto');
const { EJSON } = require('./official-tools.js').bson();

const MAX_LIMIT = 1000; // the server SDK asks for at most 1000 (100 without limit())

class DbError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const clone = (v) => EJSON.parse(EJSON.stringify(v, { relaxed: false }), { relaxed: false });
const plain = (v) => EJSON.parse(EJSON.stringify(v, { relaxed: false }));

function at(doc, dotted) {
  return dotted.split('.').reduce((v, k) => (v == null ? undefined : v[k]), doc);
}

function value(v) {
  // bson's wrappers (Int32, Double, Long) compare as the numbers they hold
  if (v && typeof v === 'object' && typeof v.valueOf === 'function' && ['Int32', 'Double', 'Long'].includes(v._bsontype)) return Number(v.valueOf());
  return v;
}

function same(a, b) {
  a = value(a);
  b = value(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a && b && typeof a === 'object' && typeof b === 'object') return JSON.stringify(plain(a)) === JSON.stringify(plain(b));
  return a === b;
}

function compare(a, b) {
  a = value(a);
  b = value(b);
  if (a instanceof Date) a = a.getTime();
  if (b instanceof Date) b = b.getTime();
  if (typeof a !== typeof b) return NaN;
  return a < b ? -1 : a > b ? 1 : 0;
}

const FIELD_OPS = {
  $eq: (v, arg) => same(v, arg),
  $ne: (v, arg) => !same(v, arg),
  $gt: (v, arg) => compare(v, arg) > 0,
  $gte: (v, arg) => compare(v, arg) >= 0,
  $lt: (v, arg) => compare(v, arg) < 0,
  $lte: (v, arg) => compare(v, arg) <= 0,
  $in: (v, arg) => arg.some((x) => same(v, x)),
  $nin: (v, arg) => !arg.some((x) => same(v, x)),
  $exists: (v, arg) => (v !== undefined) === !!arg,
};

function isOperatorObject(c) {
  return c && typeof c === 'object' && !Array.isArray(c) && !(c instanceof Date) && !c._bsontype && Object.keys(c).length > 0 && Object.keys(c).every((k) => k.startsWith('$'));
}

function matches(doc, query) {
  return Object.entries(query || {}).every(([k, c]) => {
    if (k === '$and') return c.every((q) => matches(doc, q));
    if (k === '$or') return c.some((q) => matches(doc, q));
    if (k === '$nor') return !c.some((q) => matches(doc, q));
    if (k.startsWith('$')) throw new DbError('DATABASE_INVALID_OPERRATOR', 'unsupported query operator ' + k);
    const v = at(doc, k);
    if (!isOperatorObject(c)) return same(v, c);
    return Object.entries(c).every(([op, arg]) => {
      if (!FIELD_OPS[op]) throw new DbError('DATABASE_INVALID_OPERRATOR', 'unsupported query operator ' + op);
      return FIELD_OPS[op](v, arg);
    });
  });
}

function setPath(doc, dotted, v) {
  const keys = dotted.split('.');
  let o = doc;
  for (const k of keys.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== 'object') o[k] = {};
    o = o[k];
  }
  o[keys[keys.length - 1]] = v;
}

function unsetPath(doc, dotted) {
  const keys = dotted.split('.');
  const parent = at(doc, keys.slice(0, -1).join('.')) || (keys.length === 1 ? doc : undefined);
  if (parent && typeof parent === 'object') delete parent[keys[keys.length - 1]];
}

const UPDATE_OPS = {
  $set: (doc, k, v) => setPath(doc, k, clone(v)),
  $unset: (doc, k) => unsetPath(doc, k),
  $inc: (doc, k, v) => setPath(doc, k, (value(at(doc, k)) || 0) + value(v)),
  $mul: (doc, k, v) => setPath(doc, k, (value(at(doc, k)) || 0) * value(v)),
  $min: (doc, k, v) => (at(doc, k) === undefined || compare(v, at(doc, k)) < 0) && setPath(doc, k, clone(v)),
  $max: (doc, k, v) => (at(doc, k) === undefined || compare(v, at(doc, k)) > 0) && setPath(doc, k, clone(v)),
};

function applyUpdate(doc, update, merge) {
  const ops = Object.keys(update);
  if (!merge || !ops.some((k) => k.startsWith('$'))) {
    // a replacement (doc().set()): everything but _id goes
    if (ops.some((k) => k.startsWith('$'))) throw new DbError('DATABASE_INVALID_OPERRATOR', 'a replacement cannot hold operators');
    for (const k of Object.keys(doc)) if (k !== '_id' && k !== '_openid') delete doc[k];
    Object.assign(doc, clone(update));
    return;
  }
  for (const [op, fields] of Object.entries(update)) {
    if (!UPDATE_OPS[op]) throw new DbError('DATABASE_INVALID_OPERRATOR', 'unsupported update operator ' + op);
    for (const [k, v] of Object.entries(fields)) {
      if (k === '_id') throw new DbError('DATABASE_REQUEST_FAILED', "Performing an update on the path '_id' would modify the immutable field '_id'");
      UPDATE_OPS[op](doc, k, v);
    }
  }
}

function sorter(order) {
  // order: [{field, direction}] (the SDK's orderBy list) or {field: ±1}
  const keys = Array.isArray(order)
    ? order.map((o) => [o.field, o.direction === 'desc' || o.direction === -1 ? -1 : 1])
    : Object.entries(order || {}).map(([f, d]) => [f, value(d) < 0 ? -1 : 1]);
  return (a, b) => {
    for (const [f, sign] of keys) {
      const c = compare(at(a, f), at(b, f));
      if (c) return c * sign;
    }
    return 0;
  };
}

function parse(text) {
  return text === undefined || text === '' ? {} : typeof text === 'string' ? EJSON.parse(text, { relaxed: false }) : text;
}

/** One environment's database: `collections` are the ones created in the console. */
function createDatabase({ collections: names = ['sms-record'] } = {}) {
  const collections = new Map(names.map((n) => [n, []]));
  function docs(name) {
    if (!collections.has(name)) throw new DbError('DATABASE_COLLECTION_NOT_EXIST', 'Db or Table not exist: ' + name + '. [ResourceNotFound] ');
    return collections.get(name);
  }
  function insert(name, doc) {
    const list = docs(name);
    const d = clone(doc);
    if (d._id === undefined) d._id = crypto.randomBytes(16).toString('hex');
    if (list.some((x) => same(x._id, d._id))) {
      throw new DbError('DATABASE_REQUEST_FAILED', `E11000 duplicate key error collection: ${name} index: _id_ dup key: { _id: ${JSON.stringify(plain(d._id))} }`);
    }
    list.push(d);
    return d._id;
  }
  const actions = {
    'database.addCollection': (p) => {
      if (collections.has(p.collectionName)) throw new DbError('DATABASE_COLLECTION_ALREADY_EXIST', 'Table exist: ' + p.collectionName);
      collections.set(p.collectionName, []);
      return {};
    },
    'database.insertDocument': (p) => ({ insertedIds: (p.data || []).map((text) => insert(p.collectionName, parse(text))) }),
    'database.getDocument': (p) => {
      let found = docs(p.collectionName).filter((d) => matches(d, parse(p.query)));
      if (p.order) found = found.slice().sort(sorter(parse(p.order)));
      const offset = Number(p.offset) || 0;
      const limit = Math.min(Number(p.limit) || 100, MAX_LIMIT);
      const page = found.slice(offset, offset + limit);
      return { list: page.map((d) => EJSON.stringify(d, { relaxed: false })), limit, offset };
    },
    'database.calculateDocument': (p) => ({ total: docs(p.collectionName).filter((d) => matches(d, parse(p.query))).length }),
    'database.modifyDocument': (p) => {
      const list = docs(p.collectionName);
      const query = parse(p.query);
      const update = parse(p.data);
      const hit = list.filter((d) => matches(d, query));
      const targets = p.multi === false || p.multi === 'false' ? hit.slice(0, 1) : hit;
      // atomic per request: no await between the match and the writes
      for (const d of targets) applyUpdate(d, update, p.merge !== false && p.merge !== 'false');
      if (!targets.length && (p.upsert === true || p.upsert === 'true')) {
        const doc = Object.assign({}, query);
        applyUpdate(doc, update, p.merge !== false && p.merge !== 'false');
        return { updated: 0, upsert_id: insert(p.collectionName, doc) };
      }
      return { updated: targets.length };
    },
    'database.removeDocument': (p) => {
      const list = docs(p.collectionName);
      const query = parse(p.query);
      const hit = list.filter((d) => matches(d, query));
      const gone = p.multi === false || p.multi === 'false' ? hit.slice(0, 1) : hit;
      for (const d of gone) list.splice(list.indexOf(d), 1);
      return { deleted: gone.length };
    },
  };
  return {
    /** → {data} or {code, message}, as the service answers (requestId added by the endpoint). */
    handle(action, params) {
      if (!actions[action]) return { code: 'INVALID_PARAM', message: 'action not supported by the local endpoint: ' + action };
      try {
        return { data: actions[action](params) };
      } catch (e) {
        if (e instanceof DbError) return { code: e.code, message: e.message };
        return { code: 'DATABASE_REQUEST_FAILED', message: String(e && e.message) };
      }
    },
    // For tests: the collection's documents as a function would read them ([] if it does not exist).
    dump: (name) => (collections.has(name) ? collections.get(name).map(plain) : []),
    // A document as a page's client SDK writes it: the platform stamps _openid; any _id.
    // Written at once, and, like the client's add(), a promise (a duplicate _id rejects).
    async addAsPage(openid, name, data) {
      return { _id: insert(name, Object.assign({}, data, { _openid: openid })) };
    },
    createCollection: (name) => collections.has(name) || collections.set(name, []),
  };
}

module.exports = { createDatabase, matches };
