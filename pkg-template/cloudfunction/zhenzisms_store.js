// @ts-check
// zhenzisms_store.js — verification-code records in the cloud database (collection
// `sms-record`), through the wx-server-sdk database API. One document per code sent:
// {openid, number, record: {hash, salt, expiresAt, attemptsLeft, used, …}, createTime, status}.
// The code itself is never stored, only its keyed hash.
'use strict';

function createStore(db, collectionName) {
  var name = collectionName || 'sms-record';
  function latest(query) {
    return db.collection(name).where(query).orderBy('createTime', 'desc').limit(1).get().then(function (r) {
      return r.data[0] || null;
    });
  }
  return {
    // The newest document for a number (any caller): for the per-number cooldown and cap.
    latestByNumber: function (number) {
      return latest({ number: number });
    },
    // The newest document of a caller (any number): for the per-caller cooldown.
    latestByCaller: function (openid) {
      return latest({ openid: openid });
    },
    // The newest code a caller got for a number: what validateCode checks.
    latestFor: function (openid, number) {
      return latest({ openid: openid, number: number });
    },
    // Send slots, one per number and one per caller: {_id: 'slot:…', sentAt}. sendCode claims
    // them with a compare-and-set on sentAt before sending, so of concurrent requests that saw
    // the same last send exactly one goes ahead (no double SMS from a double tap).
    slotTime: function (key) {
      return db.collection(name).where({ _id: 'slot:' + key }).get().then(function (r) {
        var doc = r.data[0];
        return doc ? { exists: true, sentAt: doc.sentAt } : { exists: false, sentAt: null };
      });
    },
    // Sets the slot from `seen.sentAt` to `sentAt`; false if someone changed it meanwhile.
    claim: function (key, seen, sentAt) {
      var col = db.collection(name);
      if (!seen.exists) {
        return col.add({ data: { _id: 'slot:' + key, slot: true, sentAt: sentAt } }).then(function () {
          return true;
        }, function () {
          return false; // the _id exists: another request created it first
        });
      }
      return col.where({ _id: 'slot:' + key, sentAt: seen.sentAt }).update({ data: { sentAt: sentAt } }).then(function (r) {
        return !!(r && r.stats && r.stats.updated === 1);
      });
    },
    add: function (openid, number, record) {
      return db.collection(name).add({ data: { openid: openid, number: number, record: record, createTime: record.sentAt, status: 'sent' } });
    },
    // Writes `record` only if the document is still as it was read (same attempts left, not
    // used): of two concurrent checks of one code, exactly one wins.
    replace: function (doc, record) {
      var status = record.used ? 'used' : record.attemptsLeft === 0 ? 'locked' : 'sent';
      return db.collection(name).where({ _id: doc._id, 'record.attemptsLeft': doc.record.attemptsLeft, 'record.used': false })
        .update({ data: { record: record, status: status } })
        .then(function (r) {
          return !!(r && r.stats && r.stats.updated === 1);
        });
    }
  };
}

module.exports = { createStore: createStore };
