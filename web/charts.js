// SVG charts drawn from engine JSON. Colours and fonts are presentation
// attributes (not CSS) so a chart copied into the downloaded report looks the
// same with no stylesheet.

const NS = 'http://www.w3.org/2000/svg';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
export const INK = '#1f2937';
export const MUTED = '#6b7280';
export const GRID = '#e5e7eb';
export const MOE = '#2563eb';
export const DENSE = '#d97706';
export const PALETTE = ['#2563eb', '#0891b2', '#16a34a', '#65a30d', '#d97706', '#dc2626', '#c026d3', '#7c3aed', '#475569', '#be185d', '#0d9488', '#854d0e'];  // 12: a step's time parts each get their own

export function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

function svgRoot(width, height, label, testid) {
  return s('svg', {
    viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': label,
    'font-family': FONT, 'font-size': 12, fill: INK, 'data-testid': testid, class: 'chart',
    style: `max-width:${width}px`,
  }, s('title', {}, label));
}

function text(x, y, str, attrs = {}) {
  return s('text', { x, y, ...attrs }, str);
}

// Horizontal bars, one per row: {label, sub, value, display, color, title, id, hatch}.
// A row with value null shows its display text instead of a bar; a row with
// hatch gets a striped bar (e.g. a figure from an assumption, not the model).
// Below 480 units wide the label goes above the bar, so a phone-width chart
// drawn at its rendered width keeps its text at the set size.
export function hbars({ title, rows, width = 640, labelWidth = 220, testid, axisLabel }) {
  const narrow = width < 480;
  const rowH = narrow ? 54 : 40;
  const lw = narrow ? 0 : labelWidth;
  const barY = narrow ? 30 : 6;
  const barH = narrow ? 18 : rowH - 14;
  const textY = narrow ? 44 : 23;
  // Title and axis label wrap to the width (about 7 units a character at 12-13 px).
  const titleLines = title ? wrap(title, Math.floor(width / 7.5)) : [];
  const axisLines = axisLabel ? wrap(axisLabel, Math.floor((width - lw) / 6.2)) : [];
  const top = title ? 10 + titleLines.length * 16 : 6;
  // Room right of the longest bar for the widest value label (about 7.2 units a character, bold 12 px).
  const valueW = Math.min(Math.max(narrow ? 80 : 120, ...rows.map((r) => String(r.display ?? '').length * 7.2 + 10)), width * 0.5);
  const height = top + rows.length * rowH + (axisLabel ? 8 + axisLines.length * 14 : 6);
  const svg = svgRoot(width, height, title || axisLabel || 'bar chart', testid);
  const hatchId = `hatch-${testid || 'bars'}`;
  if (rows.some((r) => r.hatch)) {
    svg.append(s('defs', {}, s('pattern', { id: hatchId, width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      s('rect', { width: 8, height: 8, fill: '#e5e7eb' }), s('rect', { width: 4, height: 8, fill: '#9ca3af' }))));
  }
  titleLines.forEach((t, i) => svg.append(text(0, 16 + i * 16, t, { 'font-weight': 600, 'font-size': 13 })));
  const max = Math.max(...rows.map((r) => (Number.isFinite(r.value) ? r.value : 0)), 0) || 1;
  const area = width - lw - valueW;
  const labelAt = narrow ? { x: 0, anchor: 'start' } : { x: lw - 10, anchor: 'end' };
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const g = s('g', { class: 'bar-row', 'data-id': r.id ?? r.label });
    g.append(text(labelAt.x, y + (narrow ? 12 : r.sub ? 15 : 21), r.label, { 'text-anchor': labelAt.anchor, 'font-weight': r.strong ? 700 : 500, class: 'bar-label' }));
    if (r.sub) g.append(text(labelAt.x, y + (narrow ? 25 : 30), r.sub, { 'text-anchor': labelAt.anchor, fill: MUTED, 'font-size': 11 }));
    if (Number.isFinite(r.value)) {
      const w = Math.max(2, (r.value / max) * area);
      g.append(s('rect', {
        class: 'bar', x: lw, y: y + barY, width: w.toFixed(1), height: barH, rx: 3,
        fill: r.hatch ? `url(#${hatchId})` : r.color || MOE, stroke: r.hatch ? r.color || MOE : null, 'data-value': r.value,
        'data-hatched': r.hatch ? 'true' : null,
      }, s('title', {}, r.title || `${r.label}: ${r.display}`)));
      g.append(text(lw + w + 6, y + textY, r.display, { 'font-weight': 600 }));
    } else {
      g.append(text(lw, y + textY, r.display, { fill: MUTED, 'font-style': 'italic' }));
    }
    svg.append(g);
  });
  axisLines.forEach((t, i) => svg.append(text(lw, height - 4 - (axisLines.length - 1 - i) * 14, t, { fill: MUTED, 'font-size': 11 })));
  return svg;
}

// Greedy word wrap to lines of at most n characters (a word longer than n gets its own line).
function wrap(str, n) {
  const lines = [];
  for (const word of String(str).split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= n) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

function decadeLabel(v, fmt) {
  return fmt ? fmt(v) : String(v);
}

// Log-log scatter of predicted vs published with the 1:1 line and a +/-25% band.
// points: {x, y, cls: 'dense'|'moe', id, title}
export function scatterLogLog({ points, width = 640, height = 460, xLabel, yLabel, fmt, testid, label }) {
  const m = { l: 70, r: 20, t: 16, b: 52 };
  const svg = svgRoot(width, height, label, testid);
  const vals = points.flatMap((p) => [p.x, p.y]).filter((v) => v > 0);
  let lo = Math.floor(Math.log10(Math.min(...vals)));
  let hi = Math.ceil(Math.log10(Math.max(...vals)));
  if (hi <= lo) hi = lo + 1;
  const pw = width - m.l - m.r;
  const ph = height - m.t - m.b;
  const X = (v) => m.l + ((Math.log10(v) - lo) / (hi - lo)) * pw;
  const Y = (v) => m.t + ph - ((Math.log10(v) - lo) / (hi - lo)) * ph;
  const grid = s('g', { class: 'grid' });
  for (let k = lo; k <= hi; k++) {
    const v = 10 ** k;
    grid.append(s('line', { x1: X(v), x2: X(v), y1: m.t, y2: m.t + ph, stroke: GRID }));
    grid.append(s('line', { x1: m.l, x2: m.l + pw, y1: Y(v), y2: Y(v), stroke: GRID }));
    grid.append(text(X(v), m.t + ph + 18, decadeLabel(v, fmt), { 'text-anchor': 'middle', fill: MUTED, class: 'tick' }));
    grid.append(text(m.l - 8, Y(v) + 4, decadeLabel(v, fmt), { 'text-anchor': 'end', fill: MUTED, class: 'tick' }));
    if (k < hi) {
      for (const f of [2, 5]) {
        const mv = f * v;
        grid.append(s('line', { x1: X(mv), x2: X(mv), y1: m.t + ph, y2: m.t + ph + 4, stroke: MUTED }));
        grid.append(s('line', { x1: m.l - 4, x2: m.l, y1: Y(mv), y2: Y(mv), stroke: MUTED }));
      }
    }
  }
  svg.append(grid);
  const a = 10 ** lo;
  const b = 10 ** hi;
  // +/-25% band: the "within 25%" count the validation summary reports.
  svg.append(s('polygon', {
    class: 'band', fill: '#10b981', 'fill-opacity': 0.08,
    points: [[a, a * 1.25], [b / 1.25, b], [b, b], [b, b * 0.75], [a, a * 0.75]].map(([x, y]) => `${X(Math.min(x, b))},${Y(Math.min(y, b))}`).join(' '),
  }));
  svg.append(s('line', { class: 'identity', x1: X(a), y1: Y(a), x2: X(b), y2: Y(b), stroke: '#10b981', 'stroke-width': 1.5, 'stroke-dasharray': '6 4' }));
  svg.append(s('rect', { x: m.l, y: m.t, width: pw, height: ph, fill: 'none', stroke: '#9ca3af' }));
  for (const p of points) {
    const cx = X(p.x);
    const cy = Y(p.y);
    const shape = p.cls === 'moe'
      ? s('path', { d: `M${cx},${cy - 8}L${cx + 8},${cy}L${cx},${cy + 8}L${cx - 8},${cy}Z`, fill: MOE, 'fill-opacity': 0.85, stroke: '#fff' })
      : s('circle', { cx, cy, r: 6.5, fill: DENSE, 'fill-opacity': 0.85, stroke: '#fff' });
    const g = s('g', { class: `point ${p.cls}`, 'data-id': p.id, 'data-class': p.cls }, shape, s('title', {}, p.title));
    svg.append(g);
  }
  svg.append(text(m.l + pw / 2, height - 8, xLabel, { 'text-anchor': 'middle', 'font-weight': 600 }));
  svg.append(text(16, m.t + ph / 2, yLabel, { 'text-anchor': 'middle', 'font-weight': 600, transform: `rotate(-90 16 ${m.t + ph / 2})` }));
  // Legend, top-left inside the plot.
  const lg = s('g', { class: 'legend', transform: `translate(${m.l + 12},${m.t + 12})` });
  lg.append(s('rect', { x: -6, y: -10, width: 168, height: 64, fill: '#fff', 'fill-opacity': 0.9, stroke: GRID, rx: 4 }));
  lg.append(s('circle', { cx: 4, cy: 2, r: 6, fill: DENSE }));
  lg.append(text(16, 6, 'dense model'));
  lg.append(s('path', { d: 'M4,13L11,20L4,27L-3,20Z', fill: MOE }));
  lg.append(text(16, 24, 'mixture of experts'));
  lg.append(s('line', { x1: -2, x2: 10, y1: 40, y2: 40, stroke: '#10b981', 'stroke-dasharray': '4 3', 'stroke-width': 1.5 }));
  lg.append(text(16, 44, '1:1 (band: ±25%)'));
  svg.append(lg);
  return svg;
}

export function niceTicks(max, count = 5) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((st) => st >= raw);
  const ticks = [];
  for (let v = 0; v <= max + step * 0.999; v += step) ticks.push(v);
  return ticks;
}

// Line with points, both axes linear from zero, so a cost proportional to
// tokens draws a straight line through the origin.
// points: {x, y, title, current}
export function lineChart({ points, width = 640, height = 320, xLabel, yLabel, fmtX, fmtY, testid, label, color = MOE }) {
  const m = { l: 72, r: 24, t: 16, b: 50 };
  const svg = svgRoot(width, height, label, testid);
  const pw = width - m.l - m.r;
  const ph = height - m.t - m.b;
  const xmax = Math.max(...points.map((p) => p.x)) * 1.04 || 1;
  const ticks = niceTicks(Math.max(...points.map((p) => p.y)));
  const ymax = ticks[ticks.length - 1];
  const X = (v) => m.l + (v / xmax) * pw;
  const Y = (v) => m.t + ph - (v / ymax) * ph;
  for (const t of ticks) {
    svg.append(s('line', { x1: m.l, x2: m.l + pw, y1: Y(t), y2: Y(t), stroke: GRID }));
    svg.append(text(m.l - 8, Y(t) + 4, fmtY(t), { 'text-anchor': 'end', fill: MUTED, class: 'tick' }));
  }
  svg.append(text(X(0), m.t + ph + 18, '0', { 'text-anchor': 'middle', fill: MUTED, class: 'tick' }));
  let lastLabel = X(0);
  for (const p of points) {
    svg.append(s('line', { x1: X(p.x), x2: X(p.x), y1: m.t + ph, y2: m.t + ph + 4, stroke: MUTED }));
    // On a narrow chart, skip a label that would overlap the one before it.
    if (X(p.x) - lastLabel < 36) continue;
    svg.append(text(X(p.x), m.t + ph + 18, fmtX(p.x), { 'text-anchor': 'middle', fill: MUTED, class: 'tick' }));
    lastLabel = X(p.x);
  }
  svg.append(s('polyline', { points: points.map((p) => `${X(p.x)},${Y(p.y)}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 2.5 }));
  for (const p of points) {
    svg.append(s('g', { class: 'point', 'data-x': p.x, 'data-value': p.y },
      s('circle', { cx: X(p.x), cy: Y(p.y), r: p.current ? 7 : 5, fill: p.current ? '#fff' : color, stroke: color, 'stroke-width': p.current ? 3 : 1 }),
      s('title', {}, p.title)));
    if (p.current) svg.append(text(X(p.x), Y(p.y) - 12, 'this run', { 'text-anchor': 'middle', 'font-weight': 600, fill: color }));
  }
  svg.append(s('line', { x1: m.l, x2: m.l + pw, y1: m.t + ph, y2: m.t + ph, stroke: '#9ca3af' }));
  svg.append(text(m.l + pw / 2, height - 8, xLabel, { 'text-anchor': 'middle', 'font-weight': 600 }));
  svg.append(text(16, m.t + ph / 2, yLabel, { 'text-anchor': 'middle', 'font-weight': 600, transform: `rotate(-90 16 ${m.t + ph / 2})` }));
  return svg;
}

// One horizontal stacked bar with a legend below: parts {key, label, value, display}.
// total: the full width (e.g. memory capacity); defaults to the sum of parts.
export function stackedBar({ parts, total, width = 640, testid, label, rest }) {
  const sum = parts.reduce((acc, p) => acc + p.value, 0);
  const full = Math.max(total ?? sum, sum) || 1;
  const colW = 210;
  const cols = Math.max(1, Math.floor(width / colW));
  const legendItems = parts.length + (rest ? 1 : 0);
  const height = 34 + Math.ceil(legendItems / cols) * 20 + 4;
  const svg = svgRoot(width, height, label, testid);
  let x = 0;
  parts.forEach((p, i) => {
    const w = (p.value / full) * width;
    const color = p.color || PALETTE[i % PALETTE.length];
    svg.append(s('rect', { class: 'segment', 'data-key': p.key, 'data-value': p.value, x: x.toFixed(2), y: 0, width: Math.max(0, w).toFixed(2), height: 24, fill: color },
      s('title', {}, `${p.label}: ${p.display}`)));
    x += w;
  });
  if (rest) svg.append(s('rect', { x: x.toFixed(2), y: 0, width: Math.max(0, width - x).toFixed(2), height: 24, fill: '#f3f4f6' }, s('title', {}, `${rest.label}: ${rest.display}`)));
  svg.append(s('rect', { x: 0, y: 0, width, height: 24, fill: 'none', stroke: '#d1d5db' }));
  const items = parts.map((p, i) => ({ ...p, color: p.color || PALETTE[i % PALETTE.length] }));
  if (rest) items.push({ ...rest, color: '#f3f4f6' });
  items.forEach((p, i) => {
    const lx = (i % cols) * colW;
    const ly = 34 + Math.floor(i / cols) * 20;
    svg.append(s('rect', { x: lx, y: ly, width: 11, height: 11, fill: p.color, stroke: '#d1d5db' }));
    svg.append(text(lx + 16, ly + 10, `${p.label} ${p.display}`, { 'font-size': 11.5 }));
  });
  return svg;
}
