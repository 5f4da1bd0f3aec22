'use strict';
// wx storage, per simulator. WeChat serialises stored values, so a value is
// JSON-cloned on write and cloned again (into the context realm) on read:
// later changes to the object written, or to the object read, do not reach
// the store. `sim.storage` (mp.storage) is a Map of key -> host-side clone;
// tests may read or seed it directly.
// Limits as documented: 1 MB per key, 10 MB in all (messages are [I]).

const ITEM_LIMIT = 1024 * 1024;
const TOTAL_LIMIT = 10 * 1024 * 1024;

function typeName(v) {
  if (v === null) return 'Null';
  const t = typeof v;
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function createStorage(sim, asyncCall) {
  const { realm } = sim;
  const store = sim.storage;

  const sizeOf = (k, v) => Buffer.byteLength(k) + Buffer.byteLength(JSON.stringify(v) || '');
  const totalSize = () => { let n = 0; for (const [k, v] of store) n += sizeOf(k, v); return n; };

  const checkKey = (api, key) => {
    if (typeof key !== 'string') {
      return `${api}:fail parameter error: parameter.key should be String instead of ${typeName(key)};`;
    }
    return null;
  };
  const write = (api, key, data) => {
    const bad = checkKey(api, key);
    if (bad) return bad;
    const text = JSON.stringify(data);
    const value = text === undefined ? undefined : JSON.parse(text);
    if (sizeOf(key, value) > ITEM_LIMIT) return `${api}:fail exceed storage item max length`;
    const old = store.get(key);
    store.set(key, value);
    if (totalSize() > TOTAL_LIMIT) {
      if (old === undefined) store.delete(key); else store.set(key, old);
      return `${api}:fail exceed storage max size 10MB`;
    }
    return null;
  };
  const read = (key) => {
    const v = store.get(key);
    return v === undefined ? '' : realm.jsonClone(v);
  };
  const info = () => ({
    keys: [...store.keys()],
    currentSize: Math.ceil(totalSize() / 1024),
    limitSize: TOTAL_LIMIT / 1024,
  });
  const fail = (msg) => { throw realm.error(realm.Error, msg); };

  return {
    setStorageSync(key, data) {
      const err = write('setStorageSync', key, data);
      if (err) fail(err);
    },
    getStorageSync(key) {
      const err = checkKey('getStorageSync', key);
      if (err) fail(err);
      return read(key);
    },
    removeStorageSync(key) {
      const err = checkKey('removeStorageSync', key);
      if (err) fail(err);
      store.delete(key);
    },
    clearStorageSync() { store.clear(); },
    getStorageInfoSync() { return realm.toContext(info()); },

    setStorage(o) {
      return asyncCall('setStorage', o, (finish) => {
        const err = write('setStorage', o && o.key, o && o.data);
        finish(!err, { errMsg: err || 'setStorage:ok' });
      });
    },
    getStorage(o) {
      return asyncCall('getStorage', o, (finish) => {
        const key = o && o.key;
        const err = checkKey('getStorage', key);
        if (err) return finish(false, { errMsg: err });
        // Unlike getStorageSync, the async form fails for a missing key.
        if (!store.has(key)) return finish(false, { errMsg: 'getStorage:fail data not found' });
        finish(true, { data: read(key), errMsg: 'getStorage:ok' });
      });
    },
    removeStorage(o) {
      return asyncCall('removeStorage', o, (finish) => {
        const err = checkKey('removeStorage', o && o.key);
        if (!err) store.delete(o.key);
        finish(!err, { errMsg: err || 'removeStorage:ok' });
      });
    },
    clearStorage(o) {
      return asyncCall('clearStorage', o, (finish) => { store.clear(); finish(true, { errMsg: 'clearStorage:ok' }); });
    },
    getStorageInfo(o) {
      return asyncCall('getStorageInfo', o, (finish) => finish(true, Object.assign(info(), { errMsg: 'getStorageInfo:ok' })));
    },
  };
}

module.exports = { createStorage };
