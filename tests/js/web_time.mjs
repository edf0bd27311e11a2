// Apply the explorer's time-window rules (api/web/time.js) to sample facts; print JSON.
// Usage: node tests/js/web_time.mjs
import { inWindow, isDated, monthEnd, months } from '../../api/web/time.js';

const fact = (start, end) => ({ time: { text: 't', start, end } });
const window = { since: '2026-01-01', until: '2026-12-31' };
const samples = {
  year2025: fact('2025-01-01', '2025-12-31'),
  quarter2026: fact('2026-01-01', '2026-03-31'),
  untilEnd2027: fact(null, '2027-12-31'),
  from2030: fact('2030-01-01', null),
  weekday: fact(null, null),
  none: { time: null },
};
const result = { months: months('2024-09-01', '2025-02-15'),
  monthEnds: ['2024-02', '2025-02', '2025-12'].map(monthEnd), cases: {} };
for (const [name, sample] of Object.entries(samples)) {
  result.cases[name] = {
    dated: isDated(sample),
    window: inWindow(sample, window, true),
    windowNoUndated: inWindow(sample, window, false),
    noWindow: inWindow(sample, null, true),
    noWindowNoUndated: inWindow(sample, null, false),
  };
}
process.stdout.write(JSON.stringify(result));
