'use strict';
// A loopback HTTP server for the headless-Chromium test: it serves dist/utils/ and a test page
// at its root, and proxies the relay paths (/sms/*) to the sandbox, so the page and the API are
// same-origin (the sandbox does not answer CORS, and neither does the vendor's relay).

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const TYPES = { '.js': 'application/javascript; charset=utf-8', '.ts': 'text/plain; charset=utf-8' };

// The page: a tiny CommonJS loader over fetch (new Function is fine in a browser), then
// window.zhenzisms is the Promise of require('./zhenzisms.js').
function testPage(files) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>zhenzisms drop-in</title></head><body>
<script>
'use strict';
var FILES = ${JSON.stringify(files)};
window.zhenzisms = Promise.all(FILES.map(function (f) {
  return fetch(f).then(function (r) {
    if (!r.ok) throw new Error('GET ' + f + ': ' + r.status);
    return r.text();
  });
})).then(function (texts) {
  var sources = {};
  FILES.forEach(function (f, i) { sources[f] = texts[i]; });
  var cache = {};
  function require(name) {
    var file = name.replace(/^\\.\\//, '');
    if (cache[file]) return cache[file].exports;
    if (!(file in sources)) throw new Error('module "' + name + '" is not served');
    var module = { exports: {} };
    cache[file] = module;
    new Function('require', 'module', 'exports', sources[file] + '\\n//# sourceURL=' + file)(require, module, module.exports);
    return module.exports;
  }
  return require('./zhenzisms.js');
});
</script>
</body></html>`;
}

// → {url, log, close()}. `log` lists every request the browser made: {method, path, status}.
async function startBrowserServer(utilsDir, sandboxUrl) {
  const files = fs.readdirSync(utilsDir);
  const scripts = files.filter((f) => f.endsWith('.js'));
  const log = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const entry = { method: req.method, path: url.pathname, status: 0, encoding: null };
    log.push(entry);
    const reply = (status, headers, body) => {
      entry.status = status;
      entry.encoding = headers['Content-Encoding'] || null;
      res.writeHead(status, Object.assign({ 'Cache-Control': 'no-store' }, headers));
      res.end(body);
    };
    if (url.pathname.startsWith('/sms/')) return proxy(req, res, sandboxUrl + url.pathname, entry);
    if (req.method !== 'GET') return reply(405, {}, '');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      return reply(200, { 'Content-Type': 'text/html; charset=utf-8' }, testPage(scripts));
    }
    const name = url.pathname.slice(1);
    if (!files.includes(name)) return reply(404, { 'Content-Type': 'text/plain' }, 'not found');
    const body = fs.readFileSync(path.join(utilsDir, name));
    if (name.endsWith('.wasm.br')) {
      // The browser takes the brotli off; the SDK gets the plain module.
      return reply(200, { 'Content-Type': 'application/wasm', 'Content-Encoding': 'br' }, body);
    }
    return reply(200, { 'Content-Type': TYPES[path.extname(name)] || 'application/octet-stream' }, body);
  });

  // Forwards method, content type and body; sends back status, content type and body.
  function proxy(req, res, target, entry) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const out = http.request(target, { method: req.method, headers: { 'Content-Type': req.headers['content-type'] || '', 'Content-Length': body.length } }, (up) => {
        const parts = [];
        up.on('data', (c) => parts.push(c));
        up.on('end', () => {
          entry.status = up.statusCode;
          res.writeHead(up.statusCode, { 'Content-Type': up.headers['content-type'] || 'text/plain' });
          res.end(Buffer.concat(parts));
        });
        up.on('error', () => res.destroy());
      });
      out.on('error', () => {
        entry.status = -1;
        res.destroy();
      });
      out.end(body);
    });
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

module.exports = { startBrowserServer };
