// @ts-check
// zhenzisms_store.js — the cloud function's state in the database (collection `sms-record`),
// trusting only what the function wrote. Every document is
//   {_id, kind, seq, body: '<sealed text>', mac}
// where `_id` is a keyed hash of what the document is about (its kind and subject: a number,
// a caller, a caller and a number…), so a page can neither guess nor take it; `body` is the
// JSON of what it holds, encrypted (AES-256-GCM), so a collection left readable shows no
// number, openid or code record; and `mac` is an HMAC of the _id, the kind, the seq and the
// body under a key only the function holds. A document that fails the MAC, or carries
// `_openid` (the platform stamps it on every document a page adds: the collection's
// permission is wrong), is never trusted. Nothing is ever found by a query on a field a page
// could copy: every document is read by its _id. Writes are compare-and-set on `seq`, so of
// two concurrent writers of one document exactly one wins. The body is one string: an update
// replaces it whole (the real database merges nested objects).
// Three kinds:
//   slot  {sentAt, day, count, number?}   a limit's state (core: code::Limit); number: the
//                                         caller's last code's number (validateCode's number_error)
//   code  {caller, number, record, created, verified}   the caller's code for a number (a keyed
//         hash, never the code) and, once proved, the verified mark {at, expiresAt, via}
//   last  {caller, number, verified}      the caller's newest verified mark (checkVerified
//                                         without a number)
'use strict';

const crypto = require('crypto');

const MAC_CONTEXT = 'zhenzisms-doc-v1';
const SEALED = 'e1.';

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
  const sealKey = sealKeyOf(key);
  const hmac = (text) => crypto.createHmac('sha256', docKey).update(text).digest('hex');
  const col = () => db.collection(name);
  const macOf = (id, kind, seq, body) => hmac([MAC_CONTEXT, id, kind, seq, body].join('\n'));

  // A document's id: its kind and subject under the key (unguessable, one per subject).
  const idOf = (kind, subject) => 'zs' + kind.charAt(0) + hmac(kind + '|' + subject).slice(0, 30);

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
    return { id: id, seq: seq, body: unseal(sealKey, String(doc.body)) };
  }

  const get = (id, kind) => col().where(defined({ _id: id })).get().then((r) => open(id, kind, r.data[0]));

  // Writes `body` over the document as read (`seen`): add when there was none, else a
  // compare-and-set on its seq. → true, or false when another call wrote first.
  function put(seen, kind, body) {
    const seq = seen.seq + 1;
    const text = seal(sealKey, JSON.stringify(body));
    const data = { kind: kind, seq: seq, body: text, mac: macOf(seen.id, kind, seq, text) };
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
    putCode: (seen, body) => put(seen, 'code', body),
    // The caller's newest verified mark, whichever number it is for.
    last: (caller) => get(idOf('last', caller), 'last'),
    putLast: (seen, body) => put(seen, 'last', body),
    // Documents a page added as this caller (the platform's _openid): a sign that the
    // collection's permission lets pages write.
    pageDocuments: (caller) => col().where(defined({ _openid: caller })).limit(1).get().then((r) => r.data),
  };
}

// The body's cipher key, derived from the function's secret (apart from the MAC's).
function sealKeyOf(key) {
  return crypto.createHmac('sha256', String(key)).update('zhenzisms document cipher').digest();
}

// JSON text → 'e1.' + base64(iv, tag, ciphertext): AES-256-GCM under a fresh 12-byte iv.
function seal(sealKey, text) {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', sealKey, iv);
  const ct = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return SEALED + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

// The parsed body of a sealed text, or null (not sealed, tampered, not JSON).
function unseal(sealKey, text) {
  if (text.indexOf(SEALED) !== 0) return null;
  const raw = Buffer.from(text.slice(SEALED.length), 'base64');
  if (raw.length < 28) return null;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', sealKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
  } catch (e) {
    return null;
  }
}

/** What a document of the function's holds, opened with the function's key (for tests and audits). */
function openBody(doc, key) {
  return doc && typeof doc.body === 'string' ? unseal(sealKeyOf(key), doc.body) : null;
}

module.exports = { createStore: createStore, isMissingCollection: isMissingCollection, openBody: openBody };
