// Tools page logic (balance, lookup by messageId) as plain functions; tools.js wires them up.

/** Balance reply data (a number of remaining messages; tolerate a numeric string). */
function balanceText(data) {
  const n = Number(data);
  if (data === '' || data == null || !Number.isFinite(n)) return `余额：${String(data)}`;
  return `剩余短信：${n} 条`;
}

/**
 * messageId as typed: trimmed; `valid` when it is what the SDK accepts (1–64 characters of
 * A-Z a-z 0-9 - _ . :), so a typo is flagged here instead of costing a request.
 */
function checkMessageId(input) {
  const value = String(input == null ? '' : input).trim();
  return { value, valid: /^[A-Za-z0-9_.:-]{1,64}$/.test(value) };
}

const STATUS_TEXT = { success: '发送成功' };

/**
 * findSmsByMessageId reply data → {found, rows: [{label, value}]}. The vendor answers `{}` when there
 * is no such message; fields it did not send are left out rather than shown empty.
 */
function recordView(data) {
  if (!data || typeof data !== 'object' || Object.keys(data).length === 0) {
    return { found: false, rows: [] };
  }
  const fields = [
    ['toNumber', '手机号'],
    ['message', '短信内容'],
    ['status', '状态'],
    ['createTime', '发送时间'],
    ['appName', '应用'],
    ['messageId', 'messageId'],
  ];
  const rows = [];
  fields.forEach(([key, label]) => {
    if (data[key] == null || data[key] === '') return;
    let value = String(data[key]);
    if (key === 'status') value = STATUS_TEXT[value] ? `${STATUS_TEXT[value]}（${value}）` : value;
    rows.push({ label, value });
  });
  return { found: true, rows };
}

module.exports = { balanceText, checkMessageId, recordView };
