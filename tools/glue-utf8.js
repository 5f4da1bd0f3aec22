// UTF-8 for the wasm-bindgen glue, spliced in by tools/make-glue.js in place of the glue's
// TextEncoder/TextDecoder, which the mini-program runtime does not have. The same code runs on
// every host (Node and browsers too): one path, the one phones run, tested everywhere.

// `arg` as UTF-8 bytes (a lone surrogate as U+FFFD, as TextEncoder does).
function utf8Encode(arg) {
  var view = new Uint8Array(arg.length * 3);
  var at = 0;
  for (var i = 0; i < arg.length; i++) {
    var c = arg.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < arg.length) {
      var next = arg.charCodeAt(i + 1);
      if (next >= 0xdc00 && next < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // a lone surrogate, as TextEncoder does
    if (c < 0x80) {
      view[at++] = c;
    } else if (c < 0x800) {
      view[at++] = 0xc0 | (c >> 6);
      view[at++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      view[at++] = 0xe0 | (c >> 12);
      view[at++] = 0x80 | ((c >> 6) & 63);
      view[at++] = 0x80 | (c & 63);
    } else {
      view[at++] = 0xf0 | (c >> 18);
      view[at++] = 0x80 | ((c >> 12) & 63);
      view[at++] = 0x80 | ((c >> 6) & 63);
      view[at++] = 0x80 | (c & 63);
    }
  }
  return view.subarray(0, at);
}

// Reads UTF-8 from Rust, which only ever writes valid UTF-8.
function utf8Decode(bytes) {
  var units = [];
  var out = '';
  for (var i = 0; i < bytes.length; ) {
    var b = bytes[i++];
    var c;
    if (b < 0x80) c = b;
    else if (b < 0xe0) c = ((b & 31) << 6) | (bytes[i++] & 63);
    else if (b < 0xf0) c = ((b & 15) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63);
    else c = ((b & 7) << 18) | ((bytes[i++] & 63) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63);
    if (c >= 0x10000) {
      c -= 0x10000;
      units.push(0xd800 + (c >> 10), 0xdc00 + (c & 1023));
    } else {
      units.push(c);
    }
    if (units.length > 4096) {
      out += String.fromCharCode.apply(null, units);
      units = [];
    }
  }
  return out + String.fromCharCode.apply(null, units);
}
