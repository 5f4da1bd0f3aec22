// multipart/form-data bodies as @cloudbase/node-sdk sends `wx.openApi` calls: name → Buffer.
'use strict';

function parseMultipart(body, contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType || '');
  if (!m) throw new Error('multipart: no boundary in ' + contentType);
  const boundary = Buffer.from('--' + (m[1] || m[2]));
  const fields = {};
  let start = body.indexOf(boundary);
  while (start !== -1) {
    const next = body.indexOf(boundary, start + boundary.length);
    if (next === -1) break;
    const part = body.subarray(start + boundary.length + 2, next - 2); // CRLF after the boundary, before the next
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd !== -1) {
      const head = part.subarray(0, headEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(head);
      if (name) fields[name[1]] = part.subarray(headEnd + 4);
    }
    start = next;
  }
  return fields;
}

module.exports = { parseMultipart };
