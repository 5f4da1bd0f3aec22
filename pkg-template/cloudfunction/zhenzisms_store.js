// @ts-check
// zhenzisms_store.js — the cloud function's state in the database (collection `sms-record`),
// trusting only what the function wrote. Every document is
//   {_id, kind, seq, owner?, vat?, body: '<JSON text>', mac}
// where `_id` is a keyed hash of what the document is about (its kind and subject: a number,
// a caller, a caller and a number…), so a page can neither guess nor take it, and `mac` is an
// HMAC of the _id, the kind, the seq and the body under a key only the function holds. A
// document that fails the MAC, or carries `_openid` (the platform stamps it on every document a
// page adds: the collection's permission is wrong), is never trusted. Writes are
// compare-and-set on `seq`, so of two concurrent writers of one document exactly one wins.
// The body is one string: an update replaces it whole (the real database merges nested objects).
// Two kinds:
//   slot  {sentAt, day, count, number?}   a limit's state (core: code::Limit); number: the
//                                         caller's last code's number (validateCode's number_error)
//   code  {caller, number, record, created, verified}   the caller's code for a number (a keyed
//         hash, never the code) and, once proved, the verified mark {at, expiresAt, via}
'use strict';

const crypto = require('crypto');

const MAC_CONTEXT = 'zhenzisms-doc-v1';

// The real SDK's error for a missing collection (errCode -502005, DATABASE_COLLECTION_NOT_EXIST).
function isMissingCollection(e) {
  const text = String(e && (e.errMsg || e.message) || '');
  return !!e && (e.errCode === -502005 || /-502005|collection not exist|Db or Table not exist/i.test(text));
}

// Every query names its fields with defined values: the real database drops undefined ones
// from a where(), which would widen it to other users' documents.
function defined(query) {
  for (const k of Object.keys(query)) {
    if (typeof query[k] !== 'string' && typeof query[k] !== 'number') throw new Error('query field ' + k + ' has no value');
  }
  return query;
}

/**
 * @param {any} db  cloud.database()
 * @param {string} name  the collection
 * @param {string} key  the function's secret (documents are keyed with a key derived from it)
 * @param {(doc: any) => void} onPageDocument  told of a document a page wrote (permission mistake)
 */
function createStore(db, name, key, onPageDocument) {
  const docKey = crypto.createHmac('sha256', String(key)).update('zhenzisms document key').digest();
  const hmac = (text) => crypto.createHmac('sha256', docKey).update(text).digest('hex');
  const col = () => db.collection(name);
  const macOf = (id, kind, seq, body) => hmac([MAC_CONTEXT, id, kind, seq, body].join('\n'));

  // A document's id: its kind and subject under the key (unguessable, one per subject).
  const idOf = (kind, subject) => 'zs' + kind.charAt(0) + hmac(kind + '|' + subject).slice(0, 30);
  // A caller's index value (for the query of their newest verification).
  const ownerOf = (caller) => hmac('owner|' + caller).slice(0, 24);

  // {id, seq, body} of a trusted document; {id, seq, body: null} of one that is not (a write
  // then replaces it); {id, seq: 0, body: null} when there is none.
  function open(id, kind, doc) {
    if (!doc) return { id: id, seq: 0, body: null };
    const seq = typeof doc.seq === 'number' ? doc.seq : -1;
    if (Object.prototype.hasOwnProperty.call(doc, '_openid')) {
      onPageDocument(doc);
      return { id: id, seq: seq, body: null };
    }
    const mac = macOf(doc._id, kind, seq, String(doc.body));
    if (doc.kind !== kind || typeof doc.mac !== 'string' || doc.mac.length !== mac.length
      || !crypto.timingSafeEqual(Buffer.from(doc.mac), Buffer.from(mac))) return { id: id, seq: seq, body: null };
    try {
      return { id: id, seq: seq, body: JSON.parse(doc.body) };
    } catch (e) {
      return { id: id, seq: seq, body: null };
    }
  }

  const get = (id, kind) => col().where(defined({ _id: id })).get().then((r) => open(id, kind, r.data[0]));

  // Writes `body` over the document as read (`seen`): add when there was none, else a
  // compare-and-set on its seq. → true, or false when another call wrote first.
  function put(seen, kind, body, index) {
    const seq = seen.seq + 1;
    const text = JSON.stringify(body);
    const data = Object.assign({ kind: kind, seq: seq, body: text, mac: macOf(seen.id, kind, seq, text) }, index || {});
    if (seen.seq === 0) {
      return col().add({ data: Object.assign({ _id: seen.id }, data) }).then(() => true, (e) => {
        if (isMissingCollection(e)) throw e;
        return false; // the _id exists: another call created it first
      });
    }
    return col().where(defined({ _id: seen.id, seq: seen.seq })).update({ data: data })
      .then((r) => !!(r && r.stats && r.stats.updated === 1));
  }

  return {
    isMissingCollection: isMissingCollection,
    // A limit's document: what it is about, e.g. 'number:13800138000' or 'ip-hour:1.2.3.4'.
    slot: (subject) => get(idOf('slot', subject), 'slot'),
    putSlot: (seen, body) => put(seen, 'slot', body),
    // The caller's code document for a number.
    code: (caller, number) => get(idOf('code', caller + '|' + number), 'code'),
    putCode: (seen, body) => put(seen, 'code', body, { owner: ownerOf(body.caller), vat: body.verified ? body.verified.at : 0 }),
    // The caller's code documents with a verified mark, newest first (those a page could add
    // with the same index values fail the MAC and are skipped).
    verifiedBy: (caller) => col().where(defined({ owner: ownerOf(caller), kind: 'code' })).orderBy('vat', 'desc').limit(10).get()
      .then((r) => r.data.map((d) => open(d._id, 'code', d)).filter((d) => d.body && d.body.caller === caller && d.body.verified)),
    // Documents a page added as this caller (the platform's _openid): a sign that the
    // collection's permission lets pages write.
    pageDocuments: (caller) => col().where(defined({ _openid: caller })).limit(1).get().then((r) => r.data),
  };
}

module.exports = { createStore: createStore, isMissingCollection: isMissingCollection };
