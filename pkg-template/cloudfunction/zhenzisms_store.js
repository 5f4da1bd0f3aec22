// @ts-check
// zhenzisms_store.js — the cloud function's state in the database (collection `sms-record`),
// through the wx-server-sdk database API. Four kinds of document:
//   codes     {openid, number, record: {hash, salt, expiresAt, attemptsLeft, used, …}, createTime, status}
//             (the code itself is never stored, only its keyed hash)
//   slots     {_id: 'slot:<kind>:<key>', slot: true, sentAt, day, count}: the resend limits
//   verified  {verified: {openid, number, at, expiresAt}}: what checkVerified answers from
//   sent      {sent: {openid, messageId, at}}: ids a caller sent through the `send` route
// Every query names its fields with defined values: the real database drops undefined ones
// from a where(), which would widen it to other users' documents.
'use strict';

// The real SDK's error for a missing collection (errCode -502005, DATABASE_COLLECTION_NOT_EXIST).
function isMissingCollection(e) {
  const text = String(e && (e.errMsg || e.message) || '');
  return !!e && (e.errCode === -502005 || /-502005|collection not exist|Db or Table not exist/i.test(text));
}

function defined(query) {
  for (const k of Object.keys(query)) {
    if (typeof query[k] !== 'string' && typeof query[k] !== 'number' && typeof query[k] !== 'boolean') throw new Error('query field ' + k + ' has no value');
  }
  return query;
}

function createStore(db, collectionName) {
  const name = collectionName || 'sms-record';
  const col = () => db.collection(name);
  function newest(query, field) {
    return col().where(defined(query)).orderBy(field, 'desc').limit(1).get().then((r) => r.data[0] || null);
  }
  function updated(r) {
    return !!(r && r.stats && r.stats.updated === 1);
  }
  return {
    // The newest code a caller got for a number: what validateCode checks.
    latestFor: (openid, number) => newest({ openid: openid, number: number }, 'createTime'),
    // The newest code of a caller, any number (validateCode then answers number_error).
    latestByCaller: (openid) => newest({ openid: openid }, 'createTime'),
    add: (openid, number, record) => col().add({ data: { openid: openid, number: number, record: record, createTime: record.sentAt, status: 'sent' } }),
    // Writes `record` only if the document is still as it was read (same attempts left, not
    // used): of two concurrent checks of one code, exactly one wins.
    replace: (doc, record) => {
      const status = record.used ? 'used' : record.attemptsLeft === 0 ? 'locked' : 'sent';
      return col().where(defined({ _id: doc._id, 'record.attemptsLeft': doc.record.attemptsLeft, 'record.used': false }))
        .update({ data: { record: record, status: status } }).then(updated);
    },

    // A limit's slot: {exists, sentAt, day, count} (all 0 when it never fired).
    slot: (key) => col().where(defined({ _id: 'slot:' + key })).get().then((r) => {
      const d = r.data[0];
      return d ? { exists: true, sentAt: d.sentAt || 0, day: d.day || 0, count: d.count || 0 } : { exists: false, sentAt: 0, day: 0, count: 0 };
    }),
    // Moves a slot from `seen` to `next` with a compare-and-set on sentAt and count; false if
    // another call changed it meanwhile (of concurrent sends that saw the same slot, one wins).
    claim: (key, seen, next) => {
      const data = { sentAt: next.sentAt, day: next.day, count: next.count };
      if (!seen.exists) {
        return col().add({ data: Object.assign({ _id: 'slot:' + key, slot: true }, data) }).then(() => true, (e) => {
          if (isMissingCollection(e)) throw e;
          return false; // the _id exists: another call created it first
        });
      }
      return col().where(defined({ _id: 'slot:' + key, sentAt: seen.sentAt, count: seen.count })).update({ data: data }).then(updated);
    },

    addVerified: (v) => col().add({ data: { verified: v } }),
    // The caller's newest verification, of `number` when given.
    latestVerified: (openid, number) => newest(number ? { 'verified.openid': openid, 'verified.number': number } : { 'verified.openid': openid }, 'verified.at'),

    addSent: (openid, messageId, at) => col().add({ data: { sent: { openid: openid, messageId: messageId, at: at } } }),
    sentBy: (openid, messageId) => newest({ 'sent.openid': openid, 'sent.messageId': messageId }, 'sent.at'),
  };
}

module.exports = { createStore: createStore, isMissingCollection: isMissingCollection };
