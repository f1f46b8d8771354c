// The traincost page: reads the inputs, asks the engine (POST /api/<command>,
// the CLI's --format json), and draws what comes back. No numbers are computed
// here except axis scaling; every figure shown is the engine's.
import { parseQuantity, fmtCompact, fmtGrouped, fmtUsd, fmtPct, fmtDays, fmtGB, fmtSeconds, fmtSignedPct } from './format.js';
import { hbars, scatterLogLog, lineChart, stackedBar, MOE, DENSE, PALETTE } from './charts.js';
import { buildReport } from './report.js';

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

// First view: an MoE, so every chart has something to show, but not the
// DeepSeek-V3 run the browser test types in (it must change the inputs).
const DEFAULTS = { model: 'mixtral-8x22b', hardware: 'h100-sxm', gpus: '1024', tokens: '2T', seq_len: '4096', precision: 'bf16', samples: '1000' };
// A spread of generations and vendors; the chosen accelerator is always added.
const HW_SET = ['h100-sxm', 'h800', 'h20', 'b200', 'mi300x', 'tpu-v5p', 'ascend-910b'];
// The cost-vs-tokens chart: real estimates at these multiples of the chosen token count.
const TOKEN_MULTIPLES = [0.25, 0.5, 0.75, 1, 1.5, 2, 3];
const URL_KEYS = ['model', 'total_params', 'active_params', 'hardware', 'gpus', 'tokens', 'seq_len', 'precision', 'price_per_gpu_hour', 'pue', 'grid_kgco2_per_kwh', 'samples'];
const DEBOUNCE_MS = 300;
const UNKNOWN_MSG = {
  model: (x) => `unknown model '${x}': choose one of the presets or give total/active parameters`,
  hardware: (x) => `unknown hardware '${x}': choose one of the listed accelerators`,
  precision: (x) => `unknown precision '${x}': choose one of the listed precisions`,
};

const state = { presets: [], hardware: [], validation: null, last: {}, tab: 'moe', check: null, unknown: {} };
let pending = 0;
let timer = null;
let controller = null;

function markBusy() {
  document.body.dataset.pending = String(pending + (timer ? 1 : 0));
}

async function api(path, body, signal) {
  pending++;
  markBusy();
  try {
    const res = await fetch(`/api/${path}`, body === undefined
      ? { signal }
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
    let data;
    try { data = await res.json(); } catch { data = { error: `${res.status} ${res.statusText}: not JSON`, field: null }; }
    if (!res.ok) {
      const err = new Error(webText(data.error || `${res.status} ${res.statusText}`));
      err.field = data.field ?? fieldFromMessage(data.error);
      throw err;
    }
    return webJson(data);
  } finally {
    pending--;
    markBusy();
  }
}

// The CLI's messages start with "--option:"; use it when the server names no field.
function fieldFromMessage(msg) {
  const m = /^(?:traincost: error: )?--([a-z0-9-]+)/.exec(msg || '');
  return m ? m[1].replace(/-/g, '_') : null;
}

// The engine speaks to CLI users; the page must not: no option names, no server paths.
const FIELD_NAMES = {
  model: 'Model', hardware: 'Accelerator', gpus: 'GPUs', tokens: 'Training tokens', 'seq-len': 'Sequence length',
  precision: 'Precision', 'price-per-gpu-hour': 'Price per GPU-hour', pue: 'PUE', 'grid-kgco2-per-kwh': 'Grid intensity',
  samples: 'Monte Carlo samples', 'total-params': 'Total parameters', 'active-params': 'Active parameters',
  'model-config': 'Pasted config', mfu: 'a fixed MFU',
};
const ADVANCED = ['price-per-gpu-hour', 'pue', 'grid-kgco2-per-kwh', 'samples'];
export function webText(msg) {
  return String(msg)
    .replace(/^traincost: error: /, '')
    .replace(/\s*\((?:pass|use|give|set) --[^)]*\)/g, '')
    .replace(/\b(?:pass|use|give|set) --([a-z0-9-]+)/g, (m, k) => (FIELD_NAMES[k] && k !== 'mfu'
      ? `set ${FIELD_NAMES[k]}${ADVANCED.includes(k) ? ' (under Advanced)' : ''}` : m))
    .replace(/(?<![\w.])(?:\/[\w.@+-]+){2,}/g, (m) => `"${m.split('/').pop()}"`)
    .replace(/--([a-z0-9][a-z0-9-]*)/g, (m, k) => FIELD_NAMES[k] || k.replace(/-/g, ' '));
}
function webJson(v) {
  if (typeof v === 'string') return webText(v);
  if (Array.isArray(v)) return v.map(webJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, webJson(x)]));
  return v;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

// ---------- inputs ----------

function readInputs() {
  const v = (id) => $(`#${id}`).value.trim();
  const errors = {};
  const num = (id, { integer = false, optional = false } = {}) => {
    const raw = v(id);
    if (raw === '') {
      if (!optional) errors[id] = 'required';
      return undefined;
    }
    const x = parseQuantity(raw);
    if (!Number.isFinite(x) || (integer && !Number.isInteger(x))) {
      errors[id] = integer ? `"${raw}" is not a whole number` : `"${raw}" is not a number (suffixes K, M, B, T are accepted)`;
      return undefined;
    }
    return x;
  };
  const p = {
    hardware: v('hardware'),
    gpus: num('gpus', { integer: true }),
    tokens: num('tokens'),
    seq_len: num('seq_len', { integer: true }),
    precision: v('precision'),
  };
  const cfgText = v('model_config');
  if (cfgText) {
    try {
      const cfg = JSON.parse(cfgText);
      if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) throw new Error('expected a JSON object');
      p.model_config = cfg;
    } catch (e) {
      errors.model_config = `not valid JSON: ${e.message}`;
    }
  } else if (v('total_params') || v('active_params')) {
    p.total_params = num('total_params');
    p.active_params = num('active_params');
  } else {
    p.model = v('model');
  }
  // A select holding a value from a link that names no preset or profile: say so, compute nothing.
  for (const [k, msg] of Object.entries(UNKNOWN_MSG)) {
    if (state.unknown[k] && v(k) === state.unknown[k] && (k !== 'model' || p.model !== undefined)) errors[k] = msg(state.unknown[k]);
  }
  const extra = {
    price_per_gpu_hour: num('price_per_gpu_hour', { optional: true }),
    pue: num('pue', { optional: true }),
    grid_kgco2_per_kwh: num('grid_kgco2_per_kwh', { optional: true }),
    samples: num('samples', { integer: true, optional: true }),
  };
  return { base: p, extra, errors };
}

function modelKey(base) {
  if (base.model_config) return { model_config: base.model_config };
  if (base.total_params !== undefined) return { total_params: base.total_params, active_params: base.active_params };
  return { model: base.model };
}

function clearErrors() {
  $$('.field-error').forEach((e) => { e.textContent = ''; });
  $$('.invalid').forEach((e) => e.classList.remove('invalid'));
  const g = $('#global-error');
  g.hidden = true;
  g.textContent = '';
}

// Put a message beside the field it names; the banner when it names none we show.
function showError(field, message) {
  // With a pasted config, a model error (or an unattributed one about the config) belongs beside the paste box.
  const pasted = $('#model_config').value.trim() !== '';
  const f = pasted && (field === 'model' || (!field && /config|model/i.test(message))) ? 'model_config' : field;
  const slot = f && $(`.field-error[data-for="${f}"]`);
  if (slot) {
    slot.textContent = message;
    const input = $(`#${f}`);
    if (input) input.classList.add('invalid');
    if (['total_params', 'active_params', 'layers', 'experts', 'top_k'].includes(f)) $('#counts-box').open = true;
    if (f === 'model_config' || ['price_per_gpu_hour', 'pue', 'grid_kgco2_per_kwh', 'samples'].includes(f)) {
      (f === 'model_config' ? $('#config-box') : $('#advanced')).open = true;
    }
    return;
  }
  const g = $('#global-error');
  g.hidden = false;
  g.textContent = message;
}

function writeUrl() {
  const q = new URLSearchParams();
  for (const k of URL_KEYS) {
    const val = $(`#${k}`).value.trim();
    if (val !== '') q.set(k, val);
  }
  if (state.tab !== 'moe') q.set('tab', state.tab);
  history.replaceState(null, '', `${location.pathname}?${q}`);
}

function readUrl() {
  const q = new URLSearchParams(location.search);
  for (const k of URL_KEYS) {
    const val = q.get(k) ?? DEFAULTS[k];
    if (val === undefined || val === null) continue;
    const input = $(`#${k}`);
    if (input.tagName === 'SELECT' && ![...input.options].some((o) => o.value === val)) {
      // Keep what the link asked for in view (marked unknown) rather than silently computing another.
      state.unknown[k] = val;
      input.append(el('option', { value: val, text: `${val} (unknown)`, 'data-unknown': true }));
    }
    input.value = val;
  }
  if (q.get('total_params') || q.get('active_params')) $('#counts-box').open = true;
  if (q.get('tab')) selectTab(q.get('tab'));
}

// ---------- recompute ----------

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => { timer = null; recompute(); }, DEBOUNCE_MS);
  markBusy();
}

function recompute() {
  writeUrl();
  updateModelDesc();
  clearErrors();
  if (controller) controller.abort();
  controller = new AbortController();
  const { signal } = controller;
  const { base, extra, errors } = readInputs();
  if (Object.keys(errors).length) {
    for (const [f, msg] of Object.entries(errors)) showError(f, msg);
    clearResults();
    setStatus('Fix the highlighted inputs.');
    return;
  }
  setStatus('Computing…');
  const est = { ...modelKey(base), hardware: base.hardware, gpus: base.gpus, tokens: base.tokens, seq_len: base.seq_len, precision: base.precision };
  for (const [k, val] of Object.entries(extra)) if (val !== undefined && !(k === 'samples' && val === 0)) est[k] = val;
  const common = { ...modelKey(base), hardware: base.hardware, gpus: base.gpus, tokens: base.tokens, seq_len: base.seq_len, precision: base.precision };
  const hwSet = HW_SET.includes(base.hardware) ? HW_SET : [base.hardware, ...HW_SET];
  state.last = { base, extra, request: est };

  const jobs = [
    api('estimate', est, signal).then((d) => renderEstimate(d, est), (e) => failEstimate(e, signal)),
    api('plan', common, signal).then(renderPlan, (e) => failPanel(e, signal, '#plan-body', 'plan')),
    api('compare', common, signal).then(renderMoe, (e) => failPanel(e, signal, '#panel-moe', 'moe')),
    api('compare-hardware', { ...modelKey(base), tokens: base.tokens, hardware: hwSet.join(','), gpus: base.gpus, precision: base.precision, seq_len: base.seq_len }, signal)
      .then((d) => renderHardware(d, base.hardware), (e) => failPanel(e, signal, '#panel-hardware', 'hardware')),
    budgetChart(est, signal),
  ];
  Promise.allSettled(jobs).then(() => { if (!signal.aborted) setStatus(''); });
}

function setStatus(msg) { $('#status').textContent = msg; }

// Nothing shown may belong to other inputs than the ones in view.
function clearResults() {
  clearCards();
  delete document.body.dataset.estimateFor;
  state.last = {};
  for (const id of ['estimate-sub', 'estimate-note', 'counts-shape', 'plan-sub']) $(`#${id}`).textContent = '';
  $('#estimate-warnings').replaceChildren();
  for (const sel of ['#plan-body', '#panel-moe', '#panel-hardware', '#panel-budget']) {
    $(sel).replaceChildren(el('p', { class: 'muted', text: '–' }));
  }
}

function failEstimate(e, signal) {
  if (signal.aborted || e.name === 'AbortError') return;
  clearCards();
  showError(e.field, e.message);
}

function clearCards() {
  for (const id of ['gpu-hours', 'days', 'cost', 'energy', 'co2', 'mfu']) {
    const v = $(`#r-${id}`);
    v.textContent = '–';
    v.removeAttribute('data-value');
    $(`#u-${id}`).textContent = '';
  }
}

function failPanel(e, signal, sel, key) {
  if (signal.aborted || e.name === 'AbortError') return;
  const box = $(sel);
  const dense = key === 'moe' && /dense model/.test(e.message);
  box.replaceChildren(dense
    ? el('p', { class: 'muted', 'data-testid': 'moe-dense', text: `The MoE-vs-dense comparison needs a mixture-of-experts model (for example DeepSeek-V3, Mixtral 8x22B or Qwen3-30B-A3B); the engine says: ${e.message.replace(/^(?:--model|Model): /, '')}.` })
    : el('p', { class: 'panel-error', 'data-testid': `${key}-error`, text: e.message }));
  if (key === 'moe') state.last.compare = null;
}

// ---------- results ----------

function setValue(id, value, html) {
  const node = $(`#r-${id}`);
  node.replaceChildren(...html);
  if (value === null || value === undefined) node.removeAttribute('data-value');
  else node.dataset.value = String(value);
}

function range(u, key, f) {
  if (!u || !u[key]) return '';
  return `P10–P90 ${f(u[key].p10)} – ${f(u[key].p90)}`;
}

const num = (t) => el('span', { class: 'num', text: t });
const unit = (t) => el('span', { class: 'unit', text: t });

// A pasted config reaches the engine as a file; name it for people instead.
function modelName(name) {
  const cfg = state.last.base?.model_config;
  if (!cfg) return name;
  return `pasted config${cfg.model_type ? ` (${cfg.model_type})` : ''}`;
}

function renderEstimate(d, request) {
  state.last.estimate = d;
  document.body.dataset.estimateFor = JSON.stringify(request);
  const u = d.uncertainty;
  setValue('gpu-hours', d.gpu_hours, [num(fmtCompact(d.gpu_hours)), unit('GPU-h')]);
  setValue('days', d.wall_clock_days, d.wall_clock_days == null ? [num('n/a')] : [num(fmtDays(d.wall_clock_days)), unit('days')]);
  setValue('cost', d.cost_usd, [num(fmtUsd(d.cost_usd))]);
  setValue('energy', d.energy_mwh, [num(fmtGrouped(d.energy_mwh)), unit('MWh')]);
  setValue('co2', d.co2_tonnes, [num(fmtGrouped(d.co2_tonnes)), unit('tCO₂e')]);
  setValue('mfu', d.mfu, [num(fmtPct(d.mfu))]);
  $('#u-gpu-hours').textContent = range(u, 'gpu_hours', fmtCompact);
  $('#u-days').textContent = range(u, 'wall_clock_days', fmtDays);
  $('#u-cost').textContent = d.cost_usd == null ? 'no price in the profile' : range(u, 'cost_usd', fmtUsd);
  $('#u-energy').textContent = range(u, 'energy_mwh', fmtGrouped);
  $('#u-co2').textContent = range(u, 'co2_tonnes', fmtGrouped);
  $('#u-mfu').textContent = d.mfu_source?.startsWith('derived') ? 'from the best plan' : 'default assumption';
  $('#u-mfu').title = d.mfu_source || '';
  const sh = d.model_shape;
  $('#counts-shape').textContent = sh
    ? `Derived shape (${sh.kind === 'moe' ? 'MoE' : 'dense'}): ${sh.layers} layers, d_model ${sh.d_model}, ${sh.heads} heads, ` +
      (sh.kind === 'moe' ? `${sh.experts} experts, top-${sh.top_k}, expert FFN ${sh.expert_intermediate_size}` : `FFN ${sh.ffn_intermediate_size}`) +
      ` — counted ${fmtCompact(sh.counted_total_params)} total / ${fmtCompact(sh.counted_active_params)} active. Every number here depends on this shape.`
    : '';
  $('#estimate-sub').textContent = `${sh ? 'derived shape: ' : ''}${modelName(d.model)} · ${d.hardware} · ${d.precision} · ${d.gpus ? d.gpus.toLocaleString('en-US') + (d.gpus_assumed ? ' GPUs (assumed: sizing rule)' : ' GPUs') : ''} · ${fmtCompact(d.tokens)} tokens`;
  const parts = [
    `${fmtCompact(d.total_params)} total / ${fmtCompact(d.active_params)} active parameters`,
    `${fmtCompact(d.training_flops)} FLOPs`,
    d.price_usd_per_gpu_hour == null ? 'no price in the profile (set one under Advanced)' : `$${d.price_usd_per_gpu_hour}/GPU-hour${d.price_source ? ` (${d.price_source})` : ''}`,
    `PUE ${d.pue}, ${d.grid_kgco2_per_kwh} kgCO₂/kWh`,
  ];
  if (d.goodput != null) parts.push(`goodput ${fmtPct(d.goodput)}`);
  if (d.run_efficiency != null) parts.push(`whole-run efficiency ${fmtPct(d.run_efficiency)}`);
  if (u) parts.push(`range: ${u.samples.toLocaleString('en-US')} Monte Carlo samples`);
  $('#estimate-note').textContent = parts.join(' · ');
  const w = $('#estimate-warnings');
  w.replaceChildren(...[...(d.warnings || []), ...(d.notes || [])].map((t) => el('li', { text: t })));
}

const TIME_LABELS = {
  gemm: 'GEMMs', attention: 'Attention', elementwise: 'Element-wise', recompute: 'Recompute',
  moe_permute: 'MoE permute', moe_host: 'MoE host-bound',
  tp_comm: 'TP comm', ep_comm: 'EP all-to-all', pp_p2p: 'PP send/recv', pp_bubble: 'Pipeline bubble',
  dp_comm: 'DP grad sync', optimizer: 'Optimizer',
};

function renderPlan(d) {
  state.last.plan = d;
  const box = $('#plan-body');
  $('#plan-sub').textContent = `${d.plans_feasible.toLocaleString('en-US')} of ${d.plans_evaluated.toLocaleString('en-US')} layouts fit`;
  const b = d.best;
  if (!b) {
    box.replaceChildren(el('p', { class: 'panel-error', text: 'No plan fits this many GPUs.' }));
    return;
  }
  const chips = Object.entries(b.plan).map(([k, v]) => el('span', { class: 'chip', text: `${k === 'micro_batch' ? 'mb' : k} ${v}` }));
  const stats = el('dl', { class: 'stats', 'data-testid': 'plan-stats' },
    el('dt', { text: 'MFU' }), el('dd', { 'data-value': b.mfu, text: fmtPct(b.mfu) }),
    el('dt', { text: 'Step time' }), el('dd', { 'data-value': b.step_time_s, text: fmtSeconds(b.step_time_s) }),
    el('dt', { text: 'Tokens/s' }), el('dd', { text: fmtCompact(b.tokens_per_s) }),
    el('dt', { text: 'Batch' }), el('dd', { text: `${fmtCompact(d.global_batch_tokens)} tokens, ${b.micro_batches} micro-batches` }),
    el('dt', { text: 'Memory / GPU' }), el('dd', { 'data-value': b.memory_per_gpu_bytes, text: `${fmtGB(b.memory_per_gpu_bytes)} of ${fmtGB(b.memory_capacity_bytes)}` }),
    el('dt', { text: 'Goodput' }), el('dd', { text: fmtPct(d.goodput.goodput) }),
  );
  const step = b.step_time_s;
  const timeParts = Object.entries(b.time_breakdown_s).filter(([, v]) => v > 0)
    .map(([k, v]) => ({ key: k, label: TIME_LABELS[k] || k, value: v, display: `${fmtSeconds(v)} (${fmtPct(v / step, 0)})` }));
  const memParts = Object.entries(b.memory_breakdown_bytes).map(([k, v], i) => ({
    key: k, label: k[0].toUpperCase() + k.slice(1), value: v, display: fmtGB(v), color: PALETTE[(i * 2) % PALETTE.length],
  }));
  const free = b.memory_capacity_bytes - b.memory_per_gpu_bytes;
  box.replaceChildren(
    el('div', { class: 'chips', 'data-testid': 'plan-string', 'data-value': b.plan_string }, chips),
    stats,
    el('h3', { text: 'Where the step time goes' }),
    stackedBar({ parts: timeParts, width: fitWidth(860, '#plan-body'), testid: 'chart-step-time', label: `Step time ${fmtSeconds(step)} by component` }),
    el('h3', { text: 'Memory per GPU' }),
    stackedBar({ parts: memParts, total: b.memory_capacity_bytes, width: fitWidth(860, '#plan-body'), testid: 'chart-memory', label: 'Memory per GPU by component',
      rest: free > 0 ? { label: 'Free', display: fmtGB(free) } : null }),
    el('p', { class: 'note', text: `Steady-state step of the fastest plan that fits. The estimate above also counts goodput (failures, checkpoints) and the whole-run efficiency the validation runs show, so its days are longer than ${fmtDays(b.wall_clock_days)} steady-state days.` }),
  );
}

// ---------- charts ----------

// Charts are drawn at the width they will get (up to their natural width), so
// on a phone their text keeps its set size instead of shrinking with the SVG.
// Hidden tab panels have no width: measure the tab bar above them instead.
function fitWidth(max, sel = '.tabs', cols = 1) {
  const w = $(sel)?.clientWidth || max;
  const gap = 16;
  const colW = cols > 1 && w >= cols * 352 + gap ? (w - gap * (cols - 1)) / cols : w;
  return Math.floor(Math.min(max, colW));
}

// Wide tables scroll inside their own box, not the page.
const scrollBox = (table) => el('div', { class: 'scroll-x' }, table);

function renderMoe(d) {
  state.last.compare = d;
  const box = $('#panel-moe');
  const useCost = d.moe.cost_usd != null;
  const val = (r) => (useCost ? r.cost_usd : r.gpu_hours);
  const show = (r) => (useCost ? fmtUsd(r.cost_usd) : `${fmtCompact(r.gpu_hours)} GPU-h`);
  const de = d.dense_equivalents;
  const rows = [
    { id: 'moe', label: `${modelName(d.moe.model)} (MoE)`, sub: `${fmtCompact(d.moe.active_params)} active / ${fmtCompact(d.moe.params)} total`, r: d.moe, color: MOE, strong: true },
    { id: 'same_active', label: 'Dense, same active', sub: `${fmtCompact(de.same_active.params)} params`, r: de.same_active },
    { id: 'same_loss', label: 'Dense, same predicted loss', sub: `${fmtCompact(de.same_loss.params)} params`, r: de.same_loss },
    { id: 'same_total', label: 'Dense, same total', sub: `${fmtCompact(de.same_total.params)} params`, r: de.same_total },
  ].map((x) => ({
    ...x, value: val(x.r), color: x.color || DENSE,
    display: `${show(x.r)}${x.id === 'moe' ? '' : `  (${x.r.cost_ratio_to_moe.toFixed(2)}×)`}`,
    title: `${x.r.model}: ${show(x.r)}, ${fmtDays(x.r.wall_clock_days)} days, predicted loss ${x.r.predicted_loss.toFixed(3)} (${x.r.loss_low.toFixed(3)}–${x.r.loss_high.toFixed(3)})${x.r.fits ? '' : ', does not fit'}`,
  }));
  const chart = hbars({ rows, width: fitWidth(720), labelWidth: 230, testid: 'chart-moe-svg',
    title: `Training cost: ${modelName(d.moe.model)} vs its dense equivalents`,
    axisLabel: `${useCost ? 'Dollars' : 'GPU-hours'} for ${fmtCompact(d.tokens)} tokens on ${d.gpus ?? ''} × ${d.hardware}; ratio to the MoE in brackets` });
  const table = el('table', { class: 'mini' },
    el('thead', {}, el('tr', {}, ['', 'Params', 'GPU-hours', 'Days', 'Cost', 'Loss (law)'].map((h) => el('th', { text: h })))),
    el('tbody', {}, rows.map((x) => el('tr', {},
      el('th', { text: x.label }), el('td', { text: fmtCompact(x.r.params) }), el('td', { text: fmtCompact(x.r.gpu_hours) }),
      el('td', { text: fmtDays(x.r.wall_clock_days) }), el('td', { text: fmtUsd(x.r.cost_usd) }),
      el('td', { text: `${x.r.predicted_loss.toFixed(3)} (${x.r.loss_low.toFixed(3)}–${x.r.loss_high.toFixed(3)})` })))));
  const extrapolated = [d.moe, de.same_active, de.same_loss, de.same_total].some((r) => r.extrapolated);
  box.replaceChildren(chart, scrollBox(table),
    el('p', { class: 'note', text: `Scaling laws: ${d.moe.law} for the MoE, ${de.same_loss.law} for the dense models (why this pair: ${d.law_pair_reason}).` }),
    extrapolated ? el('p', { class: 'warn', text: 'These models lie outside the range the scaling laws were fitted on; the loss ranges show the extrapolation uncertainty, and the "same predicted loss" model is the least certain bar.' }) : null);
}

const NOT_MODELLED = '(not modelled)';

// The profile's pricing in a word for a bar label; the full basis is in the JSON and the report.
function priceBasisShort(basis) {
  if (!basis) return '';
  for (const [re, word] of [[/reserv/i, 'reserved'], [/assumed/i, 'assumed'], [/on-demand/i, 'on-demand'], [/marketplace/i, 'marketplace'], [/^given/, 'given']])
    if (re.test(basis)) return word;
  return basis.split(/ \(|;|,/)[0];
}

function renderHardware(d, chosen) {
  const box = $('#panel-hardware');
  const rowsFor = (metric) => d.rows.map((r) => {
    const v = r[metric];
    const fmtv = metric === 'days' ? `${fmtDays(v)} days` : fmtUsd(v);
    let display = fmtv;
    if (r.fits === false) display = `does not fit${r.min_gpus_to_fit ? ` (needs ${r.min_gpus_to_fit.toLocaleString('en-US')} GPUs)` : ''}`;
    else if (v == null) display = metric === 'cost_usd' && r.days != null && r.price_usd_per_gpu_hour == null ? 'no rental price in the profile' : 'not computed (see notes)';
    // A profile short of the facts the performance model needs gets the default MFU: say so on the bar itself.
    const assumed = r.performance_model === false;
    return {
      id: r.hardware, label: assumed ? `${r.hardware} ${NOT_MODELLED}` : r.hardware,
      // Days say the precision and the limit; dollars say their price and its basis (on-demand, reserved, assumed).
      sub: (metric === 'cost_usd'
        ? [assumed && 'default MFU', r.price_usd_per_gpu_hour != null && `$${r.price_usd_per_gpu_hour}/GPU-h ${priceBasisShort(r.price_basis)}`]
        : [assumed && 'default MFU', r.precision, r.limit && `limit: ${r.limit}`]).filter(Boolean).join(' · '),
      value: r.fits === false ? null : v, display, strong: r.hardware === chosen, hatch: assumed,
      color: r.hardware === chosen ? MOE : '#93c5fd',
      title: `${r.name}: ${fmtDays(r.days)} days, ${fmtCompact(r.gpu_hours)} GPU-hours, ${fmtUsd(r.cost_usd)}, MFU ${fmtPct(r.mfu)}${r.limit_detail ? ` — ${r.limit_detail}` : ''}`,
    };
  });
  const notes = d.rows.flatMap((r) => (r.notes || []).map((n) => `${r.hardware}: ${n}`));
  const assumed = d.rows.filter((r) => r.performance_model === false).map((r) => r.hardware);
  box.replaceChildren(
    el('div', { class: 'two' },
      hbars({ rows: rowsFor('days'), width: fitWidth(580, '.tabs', 2), labelWidth: 215, testid: 'chart-hw-days', title: `Days on ${d.gpus?.toLocaleString('en-US') ?? ''} accelerators` }),
      hbars({ rows: rowsFor('cost_usd'), width: fitWidth(580, '.tabs', 2), labelWidth: 215, testid: 'chart-hw-cost', title: 'Dollars at each profile\'s rental price' })),
    assumed.length ? el('p', { class: 'warn', 'data-testid': 'hw-not-modelled', text: `Striped bars ${NOT_MODELLED}: the profiles of ${assumed.join(', ')} lack facts the performance model needs, so their days and dollars use the default MFU, not a modelled plan.` }) : null,
    notes.length ? el('details', { class: 'note' }, el('summary', { text: `${notes.length} note(s)` }), el('ul', {}, notes.map((n) => el('li', { text: n })))) : null,
  );
}

function renderValidation(d) {
  const box = $('#panel-validation');
  const rows = d.runs.filter((r) => !r.skipped && (r.metric === 'gpu_hours' || r.metric === 'gpu_hours_per_trillion_tokens') && r.published > 0 && r.predicted > 0);
  const points = rows.map((r) => ({
    x: r.published, y: r.predicted, cls: r.model_class === 'moe' ? 'moe' : 'dense', id: r.id,
    title: `${r.id} (${r.model_class}, ${r.hardware}): published ${fmtCompact(r.published)}, predicted ${fmtCompact(r.predicted)} ${r.metric === 'gpu_hours' ? 'GPU-hours' : 'GPU-hours per trillion tokens'} (${fmtSignedPct(r.error)})${r.gpus_note ? ` — ${r.gpus_note}` : ''}`,
  }));
  const s = d.summary?.hours_all;
  box.replaceChildren(
    scatterLogLog({ points, width: fitWidth(640), height: fitWidth(640) < 480 ? 400 : 470, xLabel: 'Published GPU-hours', yLabel: 'Predicted GPU-hours', fmt: fmtCompact, testid: 'chart-validation-svg', label: 'Predicted vs published GPU-hours of published training runs' }),
    s ? el('p', { class: 'note', 'data-testid': 'validation-summary', text: `${s.count} published runs: median error ${fmtPct(s.median_abs_error)}, ${s.within_10pct} within 10%, ${s.within_25pct} within 25%, worst ${fmtPct(s.max_abs_error)}. Runs that published GPU-hours per trillion tokens are plotted in those units. Hover a point for the run.` }) : null,
  );
}

async function budgetChart(est, signal) {
  const box = $('#panel-budget');
  const reqs = TOKEN_MULTIPLES.map((f) => {
    const { samples, ...rest } = est;
    return { ...rest, tokens: est.tokens * f };
  });
  let results;
  try {
    results = await Promise.all(reqs.map((r) => api('estimate', r, signal)));
  } catch (e) {
    failPanel(e, signal, '#panel-budget', 'budget');
    return;
  }
  if (signal.aborted) return;
  const useCost = results.every((r) => r.cost_usd != null);
  const points = results.map((r, i) => ({
    x: r.tokens, y: useCost ? r.cost_usd : r.gpu_hours, current: TOKEN_MULTIPLES[i] === 1,
    title: `${fmtCompact(r.tokens)} tokens: ${fmtUsd(r.cost_usd)}, ${fmtCompact(r.gpu_hours)} GPU-hours, ${fmtDays(r.wall_clock_days)} days, ${fmtGrouped(r.energy_mwh)} MWh`,
  }));
  const table = el('table', { class: 'mini' },
    el('thead', {}, el('tr', {}, ['Tokens', 'GPU-hours', 'Days', 'Cost', 'MWh', 'tCO₂e'].map((h) => el('th', { text: h })))),
    el('tbody', {}, results.map((r, i) => el('tr', { class: TOKEN_MULTIPLES[i] === 1 ? 'current' : '' },
      el('td', { text: fmtCompact(r.tokens) }), el('td', { text: fmtCompact(r.gpu_hours) }), el('td', { text: fmtDays(r.wall_clock_days) }),
      el('td', { text: fmtUsd(r.cost_usd) }), el('td', { text: fmtGrouped(r.energy_mwh) }), el('td', { text: fmtGrouped(r.co2_tonnes) })))));
  box.replaceChildren(
    lineChart({ points, width: fitWidth(720), height: 320, xLabel: 'Training tokens', yLabel: useCost ? 'Cost' : 'GPU-hours', fmtX: fmtCompact,
      fmtY: useCost ? fmtUsd : fmtCompact, testid: 'chart-budget-svg', label: 'Training cost against the token budget' }),
    scrollBox(table),
    el('p', { class: 'note', text: `Each point is a full estimate by the engine at ${TOKEN_MULTIPLES.map((f) => `${f}×`).join(', ')} the chosen tokens, same model, hardware and GPUs.` }),
  );
}

// ---------- tabs ----------

function selectTab(name) {
  if (!$(`[data-tabpanel="${name}"]`)) return;
  state.tab = name;
  $$('[role="tab"]').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === name)));
  $$('[data-tabpanel]').forEach((p) => { p.hidden = p.dataset.tabpanel !== name; });
}

// ---------- check a claim ----------

async function runCheck(ev) {
  ev.preventDefault();
  const out = $('#check-result');
  $$('#check .field-error').forEach((e) => { e.textContent = ''; });
  const { base, errors } = readInputs();
  if (Object.keys(errors).length) { out.replaceChildren(el('p', { class: 'panel-error', text: 'Fix the run inputs above first.' })); return; }
  const body = { ...modelKey(base), hardware: base.hardware, gpus: base.gpus, tokens: base.tokens, seq_len: base.seq_len, precision: base.precision };
  for (const k of ['claimed_gpu_hours', 'claimed_cost_usd', 'claimed_days']) {
    const raw = $(`#${k}`).value.trim();
    if (!raw) continue;
    const x = parseQuantity(raw);
    if (!Number.isFinite(x)) { showError(k, `"${raw}" is not a number`); return; }
    body[k] = x;
  }
  if (body.claimed_gpu_hours === undefined) { showError('claimed_gpu_hours', 'the claimed GPU-hours are required'); return; }
  out.replaceChildren(el('p', { class: 'muted', text: 'Checking…' }));
  try {
    const d = await api('check', body);
    state.check = d;
    const verdictClass = d.verdict === 'consistent' ? 'ok' : (/implausible|impossible|inconsistent/.test(d.verdict) ? 'bad' : 'meh');
    out.replaceChildren(
      el('div', { class: `verdict ${verdictClass}`, 'data-testid': 'check-verdict', 'data-value': d.verdict, text: d.verdict.replace(/_/g, ' ') }),
      el('dl', { class: 'stats' },
        el('dt', { text: 'Implied MFU' }), el('dd', { 'data-testid': 'check-implied-mfu', 'data-value': d.implied_mfu, text: `${fmtPct(d.implied_mfu)} of the ${d.precision} peak` }),
        el('dt', { text: 'Predicted' }), el('dd', { text: `${fmtCompact(d.predicted_gpu_hours)} GPU-h (P10–P90 ${fmtCompact(d.predicted_gpu_hours_p10)} – ${fmtCompact(d.predicted_gpu_hours_p90)})` }),
        d.implied_usd_per_gpu_hour != null ? [el('dt', { text: 'Implied price' }), el('dd', { text: `$${d.implied_usd_per_gpu_hour.toFixed(2)}/GPU-hour` })] : null,
        d.implied_wall_clock_days != null ? [el('dt', { text: 'Implied days' }), el('dd', { text: fmtDays(d.implied_wall_clock_days) })] : null,
      ),
      el('ul', { class: 'reasons' }, d.reasons.map((r) => el('li', { text: r }))),
    );
  } catch (e) {
    out.replaceChildren();
    if (e.field && $(`#check .field-error[data-for="${e.field}"]`)) showError(e.field, e.message);
    else out.replaceChildren(el('p', { class: 'panel-error', text: e.message }));
  }
}

// ---------- links and report ----------

async function copyLink() {
  writeUrl();
  const btn = $('#copy-link');
  try {
    await navigator.clipboard.writeText(location.href);
    btn.textContent = 'Link copied';
  } catch {
    window.prompt('Copy this link', location.href);
  }
  setTimeout(() => { btn.textContent = 'Copy link'; }, 1500);
}

function downloadReport() {
  const name = modelName(state.last.estimate?.model || '');
  const html = buildReport({
    url: location.href,
    modelLabel: name,
    inputs: state.last.request,
    estimate: state.last.estimate,
    plan: state.last.plan,
    check: state.check,
    charts: [
      ['Where the step time goes', $('[data-testid="chart-step-time"]')],
      ['Memory per GPU', $('[data-testid="chart-memory"]')],
      ['MoE vs dense equivalents', $('[data-testid="chart-moe-svg"]')],
      ['Hardware comparison: days', $('[data-testid="chart-hw-days"]')],
      ['Hardware comparison: dollars', $('[data-testid="chart-hw-cost"]')],
      ['Cost vs token budget', $('[data-testid="chart-budget-svg"]')],
      ['Validation record', $('[data-testid="chart-validation-svg"]')],
    ],
  });
  const blob = new Blob([html], { type: 'text/html' });
  const a = el('a', { href: URL.createObjectURL(blob), download: `traincost-${(name || 'report').replace(/[^a-z0-9.-]+/gi, '-')}-${state.last.estimate?.hardware || ''}.html` });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// ---------- start ----------

function updateModelDesc() {
  const p = state.presets.find((x) => x.name === $('#model').value);
  const counts = $('#total_params').value.trim() || $('#active_params').value.trim();
  $('#model-desc').textContent = $('#model_config').value.trim() ? 'Using the pasted config.json instead.'
    : counts ? 'Using the total / active parameter counts instead.' : (p?.description || '');
}

async function init() {
  markBusy();
  try {
    const [models, hw] = await Promise.all([api('models'), api('hardware')]);
    state.presets = models.presets;
    state.hardware = hw.accelerators;
  } catch (e) {
    showError(null, `Cannot reach the traincost engine: ${e.message}`);
    return;
  }
  $('#model').replaceChildren(...state.presets.map((p) => el('option', { value: p.name, text: p.display_name })));
  const byVendor = Map.groupBy ? Map.groupBy(state.hardware, (a) => a.vendor) : state.hardware.reduce((m, a) => m.set(a.vendor, [...(m.get(a.vendor) || []), a]), new Map());
  $('#hardware').replaceChildren(...[...byVendor].map(([vendor, list]) =>
    el('optgroup', { label: vendor }, list.map((a) => el('option', { value: a.id, text: `${a.id} — ${a.name}` })))));
  readUrl();
  $$('#inputs input, #inputs textarea').forEach((i) => i.addEventListener('input', schedule));
  $$('#inputs select').forEach((i) => i.addEventListener('change', schedule));
  $('#inputs').addEventListener('submit', (e) => { e.preventDefault(); recompute(); });
  $$('[role="tab"]').forEach((b) => b.addEventListener('click', () => { selectTab(b.dataset.tab); writeUrl(); }));
  $('#check').addEventListener('submit', runCheck);
  $('#copy-link').addEventListener('click', copyLink);
  $('#download-report').addEventListener('click', downloadReport);
  let drawnAt = innerWidth;
  addEventListener('resize', () => {
    if (Math.abs(innerWidth - drawnAt) < 40) return;
    drawnAt = innerWidth;
    schedule();
    if (state.validation) renderValidation(state.validation);
  });
  recompute();
  api('validation').then((d) => { state.validation = d; renderValidation(d); },
    (e) => { $('#panel-validation').replaceChildren(el('p', { class: 'panel-error', text: e.message })); });
}

init();
