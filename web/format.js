// Number parsing and formatting for people. The raw JSON value always goes in
// a data-value attribute beside the formatted text, so nothing is lost here.

// The CLI's suffixes (estimator/cli/options.cpp parse_quantity), applied the same way: number x scale.
const SUFFIX = { '': 1, k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

// "14.8T", "2,048", "$5.576M", "1.5e12" -> number; NaN when it is not one.
export function parseQuantity(text) {
  const t = String(text ?? '').trim().replace(/[,_\s$]/g, '');
  const m = t.match(/^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)([kmbgt]?)$/i);
  if (!m) return NaN;
  return Number(m[1]) * SUFFIX[m[2].toLowerCase()];
}

function trimZeros(s) {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

// 3 significant digits with K/M/B/T suffixes: 2276162 -> "2.28M".
// The suffix is picked after rounding, so 999,999 reads "1M", not "1000K".
export function fmtCompact(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  const sign = x < 0 ? '-' : '';
  if (a >= 1e15) return x.toExponential(2);
  // Thousands get a K only from 10,000 up: "9,500" reads better than "9.5K".
  if (a >= 1e4) {
    for (const [div, s] of [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']]) {
      const r = Number((a / div).toPrecision(3));
      if (r >= 1) return sign + trimZeros(r.toPrecision(3)) + s;
    }
  }
  if (a >= 100) return Math.round(x).toLocaleString('en-US');
  if (a === 0) return '0';
  return trimZeros(x.toPrecision(3));
}

// Grouped integer below a million ("2,689"), compact above.
export function fmtGrouped(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  if (Math.abs(x) >= 1e6) return fmtCompact(x);
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  return trimZeros(x.toPrecision(3));
}

export function fmtUsd(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return (x < 0 ? '-$' : '$') + fmtCompact(Math.abs(x));
}

export function fmtPct(x, digits = 1) {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return (x * 100).toFixed(digits) + '%';
}

export function fmtDays(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3);
}

// Decimal gigabytes, as accelerator datasheets quote memory.
export function fmtGB(bytes) {
  if (!Number.isFinite(bytes)) return 'n/a';
  return (bytes / 1e9).toFixed(1) + ' GB';
}

export function fmtSeconds(s) {
  if (!Number.isFinite(s)) return 'n/a';
  if (s >= 1) return s.toFixed(2) + ' s';
  return (s * 1e3).toFixed(s * 1e3 >= 10 ? 0 : 1) + ' ms';
}

export function fmtSignedPct(x) {
  if (!Number.isFinite(x)) return 'n/a';
  return (x >= 0 ? '+' : '') + (x * 100).toFixed(1) + '%';
}
