// The two protobuf messages of wx-server-sdk 4.0.2's 云调用 (`wx.openApi`), read and written by
// hand: CommApiData (what the SDK sends) and CommOpenApiResp (what the service answers). Field
// numbers are the SDK's (its src/protobuf/openapi.js):
//   CommApiData     {1 apiType: int32, 2 openapiData: OpenApiData, 6 appid: string}
//   OpenApiData     {1 pairs: repeated KeyValuePair}
//   KeyValuePair    {1 key: string, 2 value: bytes (JSON text), 3 contenttype, 4 filename}
//   CommOpenApiResp {1 respData: bytes, 2 contentType: string, 3 errorCode: int32, 4 httpCode: uint32}
'use strict';

// Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
function readFields(buf) {
  const fields = [];
  let i = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (i >= buf.length) throw new Error('protobuf: truncated varint');
      const b = buf[i++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const tag = Number(varint());
    const no = tag >>> 3;
    const type = tag & 7;
    if (type === 0) fields.push({ no, value: BigInt.asIntN(64, varint()) });
    else if (type === 2) {
      const len = Number(varint());
      if (i + len > buf.length) throw new Error('protobuf: truncated field ' + no);
      fields.push({ no, value: buf.subarray(i, i + len) });
      i += len;
    } else if (type === 1) i += 8;
    else if (type === 5) i += 4;
    else throw new Error('protobuf: wire type ' + type);
  }
  return fields;
}

/** CommApiData bytes → {apiType, appid, pairs: {key: JSON value}}. */
function decodeCommApiData(buf) {
  const out = { apiType: 0, appid: '', pairs: {} };
  for (const f of readFields(buf)) {
    if (f.no === 1) out.apiType = Number(f.value);
    else if (f.no === 6) out.appid = Buffer.from(f.value).toString('utf8');
    else if (f.no === 2) {
      for (const pair of readFields(f.value).filter((p) => p.no === 1)) {
        const kv = readFields(pair.value);
        const key = kv.find((x) => x.no === 1);
        const value = kv.find((x) => x.no === 2);
        if (key) out.pairs[Buffer.from(key.value).toString('utf8')] = value ? JSON.parse(Buffer.from(value.value).toString('utf8')) : undefined;
      }
    }
  }
  return out;
}

function varintBytes(n) {
  let v = BigInt.asUintN(64, BigInt(n)); // int32 negatives go out as ten bytes, as protobufjs writes them
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
}

function field(no, type, payload) {
  const tag = varintBytes((no << 3) | type);
  return type === 2 ? Buffer.concat([tag, varintBytes(payload.length), payload]) : Buffer.concat([tag, varintBytes(payload)]);
}

/** {respData: Buffer, contentType, errorCode, httpCode} → CommOpenApiResp bytes. */
function encodeCommOpenApiResp({ respData, contentType, errorCode, httpCode }) {
  const parts = [];
  if (respData) parts.push(field(1, 2, Buffer.from(respData)));
  if (contentType) parts.push(field(2, 2, Buffer.from(contentType, 'utf8')));
  if (errorCode) parts.push(field(3, 0, errorCode));
  if (httpCode) parts.push(field(4, 0, httpCode));
  return Buffer.concat(parts);
}

module.exports = { decodeCommApiData, encodeCommOpenApiResp, readFields };
