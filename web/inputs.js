// The run the form describes: reading and checking the inputs, errors beside the
// field they name, the link (the inputs and the open tab in the URL), and the tabs.
import { $, $$, el } from './dom.js';
import { parseQuantity } from './format.js';
import { state } from './state.js';

// First view: an MoE, so every chart has something to show, but not the
// DeepSeek-V3 run the browser test types in (it must change the inputs).
const DEFAULTS = { model: 'mixtral-8x22b', hardware: 'h100-sxm', gpus: '1024', tokens: '2T', seq_len: '4096', precision: 'bf16', samples: '1000' };

const URL_KEYS = ['model', 'total_params', 'active_params', 'hardware', 'gpus', 'tokens', 'seq_len', 'precision', 'price_per_gpu_hour', 'pue', 'grid_kgco2_per_kwh', 'samples'];
const UNKNOWN_MSG = {
  model: (x) => `unknown model '${x}': choose one of the presets or give total/active parameters`,
  hardware: (x) => `unknown hardware '${x}': choose one of the listed accelerators`,
  precision: (x) => `unknown precision '${x}': choose one of the listed precisions`,
};

export function readInputs() {
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

export function modelKey(base) {
  if (base.model_config) return { model_config: base.model_config };
  if (base.total_params !== undefined) return { total_params: base.total_params, active_params: base.active_params };
  return { model: base.model };
}

export function clearErrors() {
  $$('.field-error').forEach((e) => { e.textContent = ''; });
  $$('.invalid').forEach((e) => e.classList.remove('invalid'));
  const g = $('#global-error');
  g.hidden = true;
  g.textContent = '';
}

// Put a message beside the field it names; the banner when it names none we show.
export function showError(field, message) {
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

export function writeUrl() {
  const q = new URLSearchParams();
  for (const k of URL_KEYS) {
    const val = $(`#${k}`).value.trim();
    if (val !== '') q.set(k, val);
  }
  if (state.tab !== 'moe') q.set('tab', state.tab);
  history.replaceState(null, '', `${location.pathname}?${q}`);
}

export function readUrl() {
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

export function setStatus(msg) { $('#status').textContent = msg; }

export function updateModelDesc() {
  const p = state.presets.find((x) => x.name === $('#model').value);
  const counts = $('#total_params').value.trim() || $('#active_params').value.trim();
  $('#model-desc').textContent = $('#model_config').value.trim() ? 'Using the pasted config.json instead.'
    : counts ? 'Using the total / active parameter counts instead.' : (p?.description || '');
}

export function selectTab(name) {
  if (!$(`[data-tabpanel="${name}"]`)) return;
  state.tab = name;
  $$('[role="tab"]').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.tab === name)));
  $$('[data-tabpanel]').forEach((p) => { p.hidden = p.dataset.tabpanel !== name; });
}
