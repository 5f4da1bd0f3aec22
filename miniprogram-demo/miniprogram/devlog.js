// The developer page's "last requests": what the pages asked the SDK and what came back, kept in
// app.globalData.devLog (newest first, a few entries). Pages record the arguments they passed —
// never the client's configuration — so no appSecret can end up here.
const MAX_ENTRIES = 5;

/** Detach from the SDK's objects (and drop functions) so the page data holds plain values. */
function plain(value) {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value));
  } catch (e) {
    return String(value);
  }
}

/**
 * Add an entry {op, mode, request, response, error?}; `error` is errorInfo()'s object (code, kind,
 * reason, solution) when the call failed. Returns the entry.
 */
function record(globalData, entry, now) {
  const item = {
    op: String(entry.op),
    mode: entry.mode || '',
    at: now,
    request: plain(entry.request),
    response: plain(entry.response),
    error: entry.error ? plain(entry.error) : null,
  };
  const log = Array.isArray(globalData.devLog) ? globalData.devLog : [];
  globalData.devLog = [item].concat(log).slice(0, MAX_ENTRIES);
  return item;
}

function pad(n) {
  return n < 10 ? `0${n}` : String(n);
}

/** An entry as the developer page shows it: texts only. */
function view(entry) {
  const d = new Date(entry.at);
  const error = entry.error;
  return {
    title: `${entry.op} · ${entry.mode === 'cloud' ? '云函数' : '直连'}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`,
    request: JSON.stringify(entry.request),
    response: JSON.stringify(entry.response),
    ok: !error,
    error: error ? [error.code, error.kind, error.reason].filter((x) => x != null && x !== '').join(' · ') : '',
    solution: error && error.solution ? error.solution : '',
    detail: error && error.detail ? String(error.detail) : '',
  };
}

module.exports = { MAX_ENTRIES, record, view };
