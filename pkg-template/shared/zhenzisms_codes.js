// @ts-check
// zhenzisms_codes.js — verification codes on the phone: the record kept in mini-program storage
// under the vendor's keys (the core's codeIssue / codeVerify make and check it; buildRequest
// with params.code fills a code into the message or the template, src/request.rs).
// The rules themselves (uniform digits, keyed hash, expiry, attempts, cooldown, daily cap)
// are in the Rust core (src/code.rs).
'use strict';

var ENTROPY_BYTES = 48; // 16 of salt + enough for 8 digits after rejection sampling

// The vendor SDKs keep sms_number, sms_code (the code, in clear) and sms_code_expire. This
// keeps the same keys, with sms_code holding the record (hash, attempts…), and still reads a
// vendor record so a page upgraded mid-flow validates the code it sent before.
function storageStore(storage) {
  return {
    load: function () {
      var saved = storage.get('sms_code');
      // Any object is a record this SDK wrote; only a string or number is a vendor code in clear
      // (read as one, an object would become '[object Object]' with its attempts reset).
      if (saved && typeof saved === 'object') return saved;
      if (saved === '' || saved === undefined || saved === null) return null;
      var expire = Number(storage.get('sms_code_expire')) || 0;
      if (expire > 0 && expire < 1e12) expire *= 1000; // seconds, not milliseconds
      return { number: String(storage.get('sms_number')), code: String(saved), expire: expire };
    },
    save: function (record) {
      storage.set('sms_number', record.number);
      storage.set('sms_code', record);
      storage.set('sms_code_expire', record.expiresAt);
    }
  };
}

// Version B's one-argument validateCode(code) answered 'ok' | 'error' | 'expired'.
function vendorBResult(result) {
  if (result === 'ok') return 'ok';
  return result === 'code_expired' ? 'expired' : 'error';
}

module.exports = {
  ENTROPY_BYTES: ENTROPY_BYTES,
  storageStore: storageStore,
  vendorBResult: vendorBResult
};
