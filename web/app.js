// The traincost page: reads the inputs, asks the engine (POST /api/<command>,
// the CLI's --format json), and draws what comes back. No numbers are computed
// here except axis scaling; every figure shown is the engine's. This module
// starts the page and recomputes on every change; each results section draws
// itself (estimate.js, plan.js, moe.js, hardware.js, validation.js, budget.js).
import { $, $$, el } from './dom.js';
import { api } from './api.js';
import { state, busy, markBusy } from './state.js';
import { readInputs, modelKey, clearErrors, showError, writeUrl, readUrl, setStatus, updateModelDesc, selectTab } from './inputs.js';
import { renderEstimate, failEstimate } from './estimate.js';
import { clearResults, failPanel } from './panels.js';
import { renderPlan } from './plan.js';
import { renderMoe } from './moe.js';
import { renderHardware } from './hardware.js';
import { renderValidation } from './validation.js';
import { budgetChart } from './budget.js';
import { runCheck } from './check.js';
import { copyLink, downloadReport } from './share.js';

// A spread of generations and vendors; the chosen accelerator is always added.
const HW_SET = ['h100-sxm', 'h800', 'h20', 'b200', 'mi300x', 'tpu-v5p', 'ascend-910b'];
const DEBOUNCE_MS = 300;
let controller = null;

function schedule() {
  clearTimeout(busy.timer);
  busy.timer = setTimeout(() => { busy.timer = null; recompute(); }, DEBOUNCE_MS);
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
