// The page's one way to the engine: GET or POST /api/<command> (the CLI's
// --format json), counted in body[data-pending]; the engine's CLI wording
// (option names, server paths) rewritten for people.
import { busy, markBusy } from './state.js';

export async function api(path, body, signal) {
  busy.pending++;
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
    busy.pending--;
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
