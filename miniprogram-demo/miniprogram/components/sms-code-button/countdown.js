// Pure countdown arithmetic, kept apart from the component so it can be reasoned about (and tested)
// without timers. Everything works from an ABSOLUTE end time (ms since the epoch): a hidden page
// gets no timer callbacks, so counting ticks would drift; recomputing from the end time cannot.

/** End time for a countdown of `seconds` starting at `now`. */
function endTime(now, seconds) {
  return now + Math.max(0, Math.floor(seconds)) * 1000;
}

/** Whole seconds still to show (rounded up: 0.2 s left still reads "1"); 0 when over. */
function remaining(endAt, now) {
  if (!endAt || endAt <= now) return 0;
  return Math.ceil((endAt - now) / 1000);
}

/** Milliseconds until the shown number changes, so ticks land on the second boundaries of endAt. */
function nextTickDelay(endAt, now) {
  const left = endAt - now;
  if (left <= 0) return 0;
  const rest = left % 1000;
  return rest === 0 ? 1000 : rest;
}

/** Button label: the idle text, or the counting text with {s} replaced by the seconds left. */
function label(seconds, idleText, countingText) {
  if (seconds > 0) return String(countingText).replace('{s}', String(seconds));
  return idleText;
}

module.exports = { endTime, remaining, nextTickDelay, label };
