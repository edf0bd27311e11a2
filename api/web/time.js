// The time window: months between the graph's earliest and latest dated fact, and which facts
// a window keeps. A fact is dated when its time has a start or an end (an open bound reaches
// as far as needed); "am Mittwoch" or "langfristig" give a time without dates: undated.

/** 'YYYY-MM' for every month from `first` to `last` (ISO dates), both included. */
export function months(first, last) {
  const result = [];
  let [year, month] = first.slice(0, 7).split('-').map(Number);
  const end = last.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    result.push(key);
    if (key >= end || result.length > 2400) return result;
    month += 1;
    if (month > 12) { month = 1; year += 1; }
  }
}

/** The last day of a 'YYYY-MM' month as an ISO date. */
export function monthEnd(month) {
  const [year, number] = month.split('-').map(Number);
  return new Date(Date.UTC(year, number, 0)).toISOString().slice(0, 10);
}

export function isDated(fact) {
  return Boolean(fact.time && (fact.time.start || fact.time.end));
}

/**
 * Whether the fact passes the time filter: `window` is null (no window) or {since, until}
 * as ISO dates; undated facts pass exactly when `showUndated`.
 */
export function inWindow(fact, window, showUndated) {
  if (!isDated(fact)) return showUndated;
  if (!window) return true;
  const start = fact.time.start || '0000-01-01';
  const end = fact.time.end || '9999-12-31';
  return end >= window.since && start <= window.until;
}
