// End-to-end test of the traincost page in a real browser: Debian's chromium
// driven by playwright-core. Plain Node, no test runner.
//
//   TRAINCOST_BIN=build/estimator/traincost node tests/e2e/browser_test.mjs
//     starts `traincost serve --port 0` and compares the page with the CLI's JSON;
//   BASE_URL=http://127.0.0.1:8080/ node tests/e2e/browser_test.mjs
//     uses a running server and compares with its /api/* JSON instead.
// Screenshots and the downloaded report go to ${E2E_OUT:-build/e2e}/.
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { fmtCompact, fmtUsd, fmtPct, fmtDays, fmtGrouped, parseQuantity } from '../../web/format.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const OUT = path.resolve(process.env.E2E_OUT || path.join(repo, 'build/e2e'));
const BIN = process.env.TRAINCOST_BIN ? path.resolve(process.env.TRAINCOST_BIN) : null;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const OVERALL_TIMEOUT_MS = 120_000;

// The run the test types in: DeepSeek-V3 as DeepSeek trained it (tech report, Table 1 and section 3).
const RUN = { model: 'deepseek-v3', hardware: 'h800', gpus: 2048, tokens: '14.8T', tokens_value: 14.8e12, precision: 'fp8', seq_len: 4096 };

let server = null;
let browser = null;
let step = 'start';

function log(msg) { console.log(`e2e: ${msg}`); }

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  browser = null;
  if (server && server.exitCode === null) server.kill('SIGTERM');
  server = null;
}

async function fail(msg) {
  console.error(`e2e: FAIL during "${step}": ${msg}`);
  await cleanup();
  process.exit(1);
}

const overall = setTimeout(() => fail(`timed out after ${OVERALL_TIMEOUT_MS / 1000} s`), OVERALL_TIMEOUT_MS);
process.on('SIGINT', () => fail('interrupted'));
process.on('unhandledRejection', (e) => fail(e?.stack || String(e)));

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

function startServer() {
  return new Promise((resolve, reject) => {
    check(fs.existsSync(BIN), `TRAINCOST_BIN ${BIN} does not exist (build first)`);
    server = spawn(BIN, ['serve', '--port', '0'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const t = setTimeout(() => reject(new Error(`no "serving" line from ${BIN} serve within 15 s; stdout: ${out} stderr: ${err}`)), 15_000);
    server.stdout.on('data', (c) => {
      out += c;
      const m = out.match(/traincost: serving (http:\/\/\S+)/);
      if (m) { clearTimeout(t); resolve(m[1].endsWith('/') ? m[1] : `${m[1]}/`); }
    });
    server.stderr.on('data', (c) => { err += c; });
    server.on('exit', (code) => { clearTimeout(t); reject(new Error(`${BIN} serve exited with ${code}: ${err.trim()}`)); });
  });
}

// The reference numbers: the CLI itself, or the server's API when only BASE_URL is given.
function cliJson(args) {
  return new Promise((resolve, reject) => {
    execFile(BIN, [...args, '--format', 'json'], { env: process.env, maxBuffer: 64 << 20 }, (e, stdout, stderr) => {
      if (e) reject(new Error(`traincost ${args.join(' ')} failed: ${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

async function reference(base, command, body) {
  if (BIN) {
    const args = command === 'validate' ? ['validate'] : [command];
    for (const [k, v] of Object.entries(body || {})) args.push(`--${k.replace(/_/g, '-')}`, String(v));
    return cliJson(args);
  }
  const url = command === 'validate' ? `${base}api/validation` : `${base}api/${command}`;
  const res = await fetch(url, command === 'validate' ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  check(res.ok, `${url} answered ${res.status}`);
  return res.json();
}

async function waitIdle(page, what) {
  await page.waitForFunction(() => document.body.dataset.pending === '0', null, { timeout: 30_000 })
    .catch(() => { throw new Error(`page still busy after 30 s (${what})`); });
}

// Waits until the shown estimate is the one for these inputs (the page debounces and cancels stale requests).
async function waitForEstimate(page, expect) {
  await page.waitForFunction((exp) => {
    if (document.body.dataset.pending !== '0' || !document.body.dataset.estimateFor) return false;
    const got = JSON.parse(document.body.dataset.estimateFor);
    return Object.entries(exp).every(([k, v]) => got[k] === v);
  }, expect, { timeout: 30_000 }).catch(async () => {
    const got = await page.evaluate(() => document.body.dataset.estimateFor);
    throw new Error(`the page never showed the estimate for ${JSON.stringify(expect)}; last shown: ${got}`);
  });
}

const dataValue = (page, testid) => page.getAttribute(`[data-testid="${testid}"]`, 'data-value');
const shot = (locator, name) => locator.screenshot({ path: path.join(OUT, name) });

// The page's number formatting, checked against values worked by hand.
function checkFormatting() {
  const cases = [
    [fmtCompact(302_469), '302K'], [fmtCompact(999_999), '1M'], [fmtCompact(9_500), '9,500'], [fmtCompact(2_276_162.07), '2.28M'],
    [fmtCompact(14.8e12), '14.8T'], [fmtUsd(4_552_324.1), '$4.55M'], [fmtGrouped(2_688.7), '2,689'], [fmtPct(0.348328), '34.8%'],
    [fmtDays(46.3086), '46.3'], [fmtDays(392.8), '393'], [String(parseQuantity('14.8T')), '14800000000000'], [String(parseQuantity('$5.576M')), '5576000'],
    [String(parseQuantity('2,048')), '2048'], [String(parseQuantity('14.8X')), 'NaN'],
  ];
  for (const [got, want] of cases) check(got === want, `formatting: got "${got}", expected "${want}"`);
}

async function main() {
  step = 'formatting';
  checkFormatting();
  fs.mkdirSync(OUT, { recursive: true });
  step = 'server';
  let base = process.env.BASE_URL;
  if (!base) {
    check(BIN, 'set TRAINCOST_BIN (path to the traincost binary) or BASE_URL (a running server)');
    base = await startServer();
  }
  if (!base.endsWith('/')) base += '/';
  log(`server ${base}`);

  step = 'browser';
  check(fs.existsSync(CHROMIUM), `${CHROMIUM} not found; install Debian's chromium (scripts/e2e.sh does)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 30_000 });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  const origin = new URL(base).origin;
  const external = [];
  // Offline: the page may ask its own server only (no CDN, no web fonts).
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
    external.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    // A 400 from the deliberate bad input below is logged by chromium; anything else is a bug.
    if (m.type() === 'error' && !/status of 400/.test(m.text())) pageErrors.push(m.text());
  });

  step = 'load';
  await page.goto(base, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForSelector('[data-testid="result-gpu-hours"][data-value]', { timeout: 30_000 });
  await waitIdle(page, 'first load');

  step = 'inputs';
  await page.selectOption('[data-testid="input-model"]', RUN.model);
  await page.selectOption('[data-testid="input-hardware"]', RUN.hardware);
  await page.fill('[data-testid="input-gpus"]', '2,048');
  await page.fill('[data-testid="input-tokens"]', RUN.tokens);
  await page.fill('[data-testid="input-seq-len"]', String(RUN.seq_len));
  await page.selectOption('[data-testid="input-precision"]', RUN.precision);
  const expectReq = { model: RUN.model, hardware: RUN.hardware, gpus: RUN.gpus, tokens: RUN.tokens_value, precision: RUN.precision, seq_len: RUN.seq_len };
  await waitForEstimate(page, expectReq);

  step = 'estimate numbers';
  const samples = Number(await page.inputValue('[data-testid="input-samples"]'));
  const args = { model: RUN.model, hardware: RUN.hardware, gpus: RUN.gpus, tokens: BIN ? RUN.tokens : RUN.tokens_value, precision: RUN.precision, seq_len: RUN.seq_len };
  const est = await reference(base, 'estimate', samples > 0 ? { ...args, samples } : args);
  const shown = {
    gpu_hours: ['result-gpu-hours', fmtCompact], wall_clock_days: ['result-days', fmtDays], cost_usd: ['result-cost', fmtUsd],
    energy_mwh: ['result-energy', fmtGrouped], co2_tonnes: ['result-co2', fmtGrouped], mfu: ['result-mfu', fmtPct],
  };
  for (const [key, [testid, fmt]] of Object.entries(shown)) {
    const raw = await dataValue(page, testid);
    check(typeof est[key] === 'number', `CLI JSON has no number ${key}`);
    check(Number(raw) === est[key], `${testid} data-value ${raw} != CLI ${key} ${est[key]}`);
    const text = await page.textContent(`[data-testid="${testid}"] .num`);
    check(text === fmt(est[key]), `${testid} shows "${text}", expected "${fmt(est[key])}" for ${est[key]}`);
    log(`${key} = ${est[key]} shown as ${text}`);
  }
  if (est.uncertainty) {
    const r = await page.textContent('#u-cost');
    const want = `P10–P90 ${fmtUsd(est.uncertainty.cost_usd.p10)} – ${fmtUsd(est.uncertainty.cost_usd.p90)}`;
    check(r === want, `cost range shows "${r}", expected "${want}"`);
  }

  step = 'plan';
  const planShown = await dataValue(page, 'plan-string');
  check(planShown === est.plan, `plan shown ${planShown} != estimate's plan ${est.plan}`);
  const plan = await reference(base, 'plan', args);
  const segs = await page.$$eval('[data-testid="chart-step-time"] rect.segment', (rs) => rs.map((r) => Number(r.dataset.value)));
  const segSum = segs.reduce((a, b) => a + b, 0);
  check(segs.length >= 3, `step-time bar has ${segs.length} segments`);
  check(Math.abs(segSum - plan.best.step_time_s) <= 1e-9 * plan.best.step_time_s, `step-time segments sum to ${segSum}, plan step ${plan.best.step_time_s}`);
  log(`plan ${planShown}, ${segs.length} step-time segments summing to ${segSum.toFixed(4)} s`);
  await page.screenshot({ path: path.join(OUT, 'page.png'), fullPage: true });

  step = 'MoE vs dense chart';
  await page.click('[data-testid="tab-moe"]');
  const moe = page.locator('[data-testid="chart-moe"]');
  await moe.locator('svg rect.bar').first().waitFor({ state: 'visible', timeout: 10_000 });
  const bars = await moe.locator('svg rect.bar').evaluateAll((rs) => rs.map((r) => Number(r.dataset.value)));
  check(bars.length === 4, `MoE chart has ${bars.length} bars, expected 4 (MoE and three dense equivalents)`);
  const cmp = await reference(base, 'compare', args);
  const want = [cmp.moe, cmp.dense_equivalents.same_active, cmp.dense_equivalents.same_loss, cmp.dense_equivalents.same_total].map((r) => r.cost_usd);
  check(bars.every((v, i) => v === want[i]), `MoE chart bars ${bars} != CLI compare costs ${want}`);
  log(`MoE chart bars (USD): ${bars.map(fmtUsd).join(', ')}`);
  await shot(moe, 'chart-moe.png');

  step = 'validation chart';
  await page.click('[data-testid="tab-validation"]');
  const val = page.locator('[data-testid="chart-validation"]');
  await val.locator('svg .point').first().waitFor({ state: 'visible', timeout: 10_000 });
  const validation = await reference(base, 'validate');
  const rows = validation.runs.filter((r) => !r.skipped && ['gpu_hours', 'gpu_hours_per_trillion_tokens'].includes(r.metric));
  const pts = await val.locator('svg .point').evaluateAll((gs) => gs.map((g) => ({ id: g.dataset.id, cls: g.dataset.class })));
  check(pts.length === rows.length, `validation chart has ${pts.length} points, validate has ${rows.length} GPU-hour rows`);
  check(rows.every((r) => pts.some((p) => p.id === r.id && p.cls === r.model_class)), 'a validation row is missing from the chart or has the wrong dense/MoE mark');
  check(await val.locator('svg line.identity').count() === 1, 'validation chart has no 1:1 line');
  log(`validation chart: ${pts.length} points (${pts.filter((p) => p.cls === 'moe').length} MoE)`);
  await shot(val, 'chart-validation.png');

  step = 'hardware and budget charts';
  await page.click('[data-testid="tab-hardware"]');
  const hw = page.locator('[data-testid="chart-hardware"]');
  await hw.locator('svg').first().waitFor({ state: 'visible', timeout: 10_000 });
  await shot(hw, 'chart-hardware.png');
  await page.click('[data-testid="tab-budget"]');
  const bud = page.locator('[data-testid="chart-budget"]');
  await bud.locator('svg .point').first().waitFor({ state: 'visible', timeout: 10_000 });
  const budPts = await bud.locator('svg .point').evaluateAll((gs) => gs.map((g) => ({ x: Number(g.dataset.x), y: Number(g.dataset.value) })));
  const here14 = budPts.find((p) => p.x === RUN.tokens_value);
  check(here14 && here14.y === est.cost_usd, `cost-vs-tokens chart at 14.8T shows ${here14?.y}, estimate says ${est.cost_usd}`);
  await shot(bud, 'chart-budget.png');

  step = 'check a claim';
  // DeepSeek-V3's own claim: 2.788M H800 GPU-hours, $5.576M at $2/GPU-hour (tech report, Table 1).
  await page.fill('[data-testid="input-claimed-gpu-hours"]', '2.788M');
  await page.fill('[data-testid="input-claimed-cost"]', '$5.576M');
  await page.click('[data-testid="check-submit"]');
  await page.waitForSelector('[data-testid="check-verdict"]', { timeout: 15_000 });
  const claim = await reference(base, 'check', { ...args, claimed_gpu_hours: 2.788e6, claimed_cost_usd: 5.576e6 });
  check(await dataValue(page, 'check-verdict') === claim.verdict, `verdict shown ${await dataValue(page, 'check-verdict')} != CLI ${claim.verdict}`);
  check(Number(await dataValue(page, 'check-implied-mfu')) === claim.implied_mfu, 'implied MFU differs from the CLI');
  log(`claim check: ${claim.verdict}, implied MFU ${fmtPct(claim.implied_mfu)}`);

  step = 'download report';
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.click('[data-testid="download-report"]')]);
  const reportPath = path.join(OUT, 'report.html');
  await download.saveAs(reportPath);
  const report = fs.readFileSync(reportPath, 'utf8');
  check(!/<script/i.test(report), 'the report contains a script');
  check(!/\ssrc=|@import|url\((?!#)/i.test(report), 'the report loads something from outside itself'); // url(#id): a hatch pattern inside the SVG
  check((report.match(/<svg/g) || []).length >= 6, 'the report lacks the charts');
  check(report.includes(fmtUsd(est.cost_usd)), 'the report lacks the cost');

  step = 'URL round trip';
  const shared = page.url();
  const q = new URL(shared).searchParams;
  check(q.get('model') === RUN.model && q.get('hardware') === RUN.hardware && q.get('precision') === RUN.precision, `URL does not hold the inputs: ${shared}`);
  const page2 = await context.newPage();
  page2.on('pageerror', (e) => pageErrors.push(e.message));
  await page2.goto(shared, { waitUntil: 'load', timeout: 30_000 });
  await waitForEstimate(page2, expectReq);
  const inputs2 = {};
  for (const k of ['model', 'hardware', 'gpus', 'tokens', 'seq-len', 'precision']) inputs2[k] = await page2.inputValue(`[data-testid="input-${k}"]`);
  const same = inputs2.model === RUN.model && inputs2.hardware === RUN.hardware && inputs2.gpus === '2,048' && inputs2.tokens === RUN.tokens
    && inputs2['seq-len'] === String(RUN.seq_len) && inputs2.precision === RUN.precision;
  check(same, `reloading ${shared} gave inputs ${JSON.stringify(inputs2)}`);
  check(Number(await dataValue(page2, 'result-gpu-hours')) === est.gpu_hours, 'reloaded page shows different GPU-hours');
  check(await page2.getAttribute('[data-testid="tab-budget"]', 'aria-selected') === 'true', 'the URL did not keep the open tab');
  await page2.close();

  step = 'inline error';
  await page.fill('[data-testid="input-gpus"]', '-3');
  await page.waitForFunction(() => document.querySelector('.field-error[data-for="gpus"]')?.textContent.length > 0, null, { timeout: 15_000 })
    .catch(() => { throw new Error('no error shown beside GPUs for -3'); });
  const errText = await page.textContent('.field-error[data-for="gpus"]');
  check(/gpus/i.test(errText), `error beside GPUs does not name the field: "${errText}"`);
  log(`inline error for gpus=-3: ${errText}`);
  await page.fill('[data-testid="input-gpus"]', '2048');
  await waitIdle(page, 'after fixing gpus');

  step = 'custom total / active';
  // A model by its parameter counts (issue 15): the page sends total_params / active_params, shows the derived shape.
  await page.click('#counts-box summary');
  await page.fill('[data-testid="input-total-params"]', '400B');
  await page.fill('[data-testid="input-active-params"]', '20B');
  await waitForEstimate(page, { total_params: 400e9, active_params: 20e9, hardware: RUN.hardware, gpus: RUN.gpus });
  const { model: _preset, ...runArgs } = args;
  const custom = await reference(base, 'estimate', { ...runArgs, total_params: BIN ? '400B' : 400e9, active_params: BIN ? '20B' : 20e9 });
  check(custom.model_shape && custom.model_shape.derived_from === 'total/active parameter counts', 'the CLI JSON has no model_shape');
  check(Number(await dataValue(page, 'result-gpu-hours')) === custom.gpu_hours, `custom model: GPU-hours ${await dataValue(page, 'result-gpu-hours')} != CLI ${custom.gpu_hours}`);
  const shapeText = await page.textContent('[data-testid="counts-shape"]');
  check(shapeText.includes(`${custom.model_shape.experts} experts, top-${custom.model_shape.top_k}`), `derived shape not shown: "${shapeText}"`);
  log(`custom 400B/20B: ${shapeText}`);
  const customUrl = new URL(page.url()).searchParams;
  check(customUrl.get('total_params') === '400B' && customUrl.get('active_params') === '20B', `the URL does not hold the counts: ${page.url()}`);
  await page.fill('[data-testid="input-total-params"]', '');
  await page.fill('[data-testid="input-active-params"]', '');
  await waitForEstimate(page, expectReq);

  step = 'unknown model in a link';
  // Issue 15: a shared link naming no preset (or no profile) keeps it in view, says so, and computes nothing.
  const p3 = await context.newPage();
  p3.on('pageerror', (e) => pageErrors.push(e.message));
  await p3.setViewportSize({ width: 400, height: 900 });
  for (const [key, val, want] of [['model', 'deepseek-v4', "unknown model 'deepseek-v4': choose one of the presets or give total/active parameters"],
    ['hardware', 'h999', "unknown hardware 'h999'"]]) {
    await p3.goto(`${base}?${key}=${val}`, { waitUntil: 'load', timeout: 30_000 });
    await p3.waitForFunction((k) => document.querySelector(`.field-error[data-for="${k}"]`)?.textContent.length > 0
      && document.body.dataset.pending === '0', key, { timeout: 15_000 })
      .catch(() => { throw new Error(`no message beside ${key} for ?${key}=${val}`); });
    const msg = await p3.textContent(`.field-error[data-for="${key}"]`);
    check(msg.includes(want), `message for ?${key}=${val} is "${msg}"`);
    check(await p3.inputValue(`[data-testid="input-${key}"]`) === val, `the ${key} input does not show "${val}"`);
    const shownNow = await p3.evaluate(() => ({
      estimateFor: document.body.dataset.estimateFor ?? null,
      value: document.querySelector('[data-testid="result-gpu-hours"]').dataset.value ?? null,
      sub: document.querySelector('#estimate-sub').textContent,
      charts: document.querySelectorAll('#plan-body svg, #panel-moe svg, #panel-hardware svg, #panel-budget svg').length,
    }));
    check(shownNow.estimateFor === null && shownNow.value === null && shownNow.sub === '' && shownNow.charts === 0,
      `?${key}=${val} still shows an estimate: ${JSON.stringify(shownNow)}`);
    log(`?${key}=${val}: "${msg}", nothing computed`);
    await p3.screenshot({ path: path.join(OUT, `unknown-${key}-400.png`), fullPage: true });
  }

  step = 'narrow page, chip with no price';
  // tpu-v5p's profile has no rental price; at 400 px nothing may scroll sideways or shrink below 10 px.
  const v5p = { model: RUN.model, hardware: 'tpu-v5p', gpus: RUN.gpus, tokens: RUN.tokens_value, precision: 'bf16', seq_len: RUN.seq_len };
  await p3.goto(`${base}?model=${v5p.model}&hardware=${v5p.hardware}&gpus=${v5p.gpus}&tokens=${RUN.tokens}&precision=bf16&seq_len=${v5p.seq_len}`, { waitUntil: 'load', timeout: 30_000 });
  await waitForEstimate(p3, v5p);
  await p3.waitForSelector('#panel-hardware svg', { state: 'attached', timeout: 30_000 });
  await waitIdle(p3, 'tpu-v5p at 400 px');
  const note = await p3.textContent('#estimate-note');
  check(note.includes('no price in the profile'), `estimate note for tpu-v5p: "${note}"`);
  log(`tpu-v5p warnings: ${(await p3.$$eval("#estimate-warnings li", (ls) => ls.map((l) => l.textContent))).join(" / ")}`);
  const all = await p3.evaluate(() => document.body.textContent);
  for (const [re, what] of [[/--[a-z]/, 'a CLI option'], [/\$null|null\/GPU|\bnull\b/, '"null"'], [/\(\s*\)/, '"()"'],
    [/(?<![\w.])(?:\/[\w.-]+){2,}/, 'a file path']]) {
    const m = re.exec(all);
    check(!m, `the page shows ${what}: "...${m && all.slice(Math.max(0, m.index - 60), m.index + 40)}..."`);
  }
  for (const tab of ['moe', 'hardware', 'validation', 'budget']) {
    await p3.click(`[data-testid="tab-${tab}"]`);
    await p3.waitForSelector(`[data-tabpanel="${tab}"] svg`, { state: 'visible', timeout: 15_000 });
    const m = await p3.evaluate(() => {
      let min = Infinity;
      let where = '';
      for (const t of document.querySelectorAll('svg text')) {
        const svg = t.ownerSVGElement;
        const r = svg.getBoundingClientRect();
        if (r.width === 0) continue;
        const px = parseFloat(getComputedStyle(t).fontSize) * (r.width / svg.viewBox.baseVal.width);
        if (px < min) { min = px; where = `${svg.dataset.testid}: "${t.textContent}"`; }
      }
      // No chart text runs past its chart's edges (clipped by the SVG), and no table box scrolls sideways.
      let clipped = '';
      for (const t of document.querySelectorAll('svg text')) {
        const box = t.ownerSVGElement.getBoundingClientRect(), r = t.getBoundingClientRect();
        if (box.width > 0 && r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1)) clipped ||= `${t.ownerSVGElement.dataset.testid}: "${t.textContent}"`;
      }
      let scrolled = '';
      for (const b of document.querySelectorAll('.scroll-x'))
        if (b.getBoundingClientRect().width > 0 && b.scrollWidth > b.clientWidth + 1) scrolled ||= `${b.scrollWidth} px in ${b.clientWidth} px (${b.textContent.slice(0, 40)}...)`;
      return { min, where, clipped, scrolled, scroll: document.documentElement.scrollWidth };
    });
    check(m.scroll <= 400, `at 400 px the page is ${m.scroll} px wide (tab ${tab})`);
    check(m.min >= 10, `at 400 px the smallest chart text is ${m.min.toFixed(1)} px (${m.where}, tab ${tab})`);
    check(!m.clipped, `at 400 px chart text is cut at the chart's edge: ${m.clipped} (tab ${tab})`);
    check(!m.scrolled, `at 400 px a table is cut off and scrolls sideways: ${m.scrolled} (tab ${tab})`);
    log(`400 px, tab ${tab}: page ${m.scroll} px wide, smallest chart text ${m.min.toFixed(1)} px`);
    await shot(p3.locator(`[data-tabpanel="${tab}"]`), `chart-${tab}-400.png`);
  }
  await p3.screenshot({ path: path.join(OUT, 'page-400.png'), fullPage: true });

  step = 'engine error with a server path';
  // The engine's error for ascend-910b names its profile file on the server; the page shows no path and no option.
  await p3.goto(`${base}?model=${v5p.model}&hardware=ascend-910b&gpus=${v5p.gpus}&tokens=${RUN.tokens}&precision=bf16`, { waitUntil: 'load', timeout: 30_000 });
  await p3.waitForFunction(() => document.body.dataset.pending === '0' && document.querySelector('.field-error[data-for="hardware"]')?.textContent, null, { timeout: 30_000 })
    .catch(() => { throw new Error('no error beside the hardware for ascend-910b'); });
  const pathErr = await p3.textContent('.field-error[data-for="hardware"]');
  check(!/--[a-z]|(?<![\w.])(?:\/[\w.-]+){2,}/.test(pathErr) && /ascend-910b/.test(pathErr), `ascend-910b error reads "${pathErr}"`);
  log(`ascend-910b error: ${pathErr}`);

  step = 'hardware not modelled';
  await p3.goto(`${base}?model=${v5p.model}&hardware=${v5p.hardware}&gpus=${v5p.gpus}&tokens=${RUN.tokens}&precision=bf16&seq_len=${v5p.seq_len}&tab=hardware`, { waitUntil: 'load', timeout: 30_000 });
  await waitForEstimate(p3, v5p);
  // Every bar is from a modelled row, or carries the mark (label and stripes) the API's performance_model: false asks for.
  await p3.click('[data-testid="tab-hardware"]');
  const hwRows = await p3.$$eval('[data-testid="chart-hw-days"] g.bar-row', (gs) => gs.map((g) => ({
    id: g.dataset.id, label: g.querySelector('.bar-label').textContent, bar: !!g.querySelector('rect.bar'),
    hatched: g.querySelector('rect.bar')?.dataset.hatched === 'true',
  })));
  const hwRef = await reference(base, 'compare-hardware', { model: v5p.model, tokens: BIN ? RUN.tokens : RUN.tokens_value,
    hardware: hwRows.map((r) => r.id).join(','), gpus: v5p.gpus, precision: v5p.precision, seq_len: v5p.seq_len });
  const modelled = Object.fromEntries(hwRef.rows.map((r) => [r.hardware, r.performance_model]));
  check(Object.values(modelled).includes(false), 'no hardware row without the performance model: the mark is not exercised');
  for (const r of hwRows) {
    check(r.id in modelled, `hardware row ${r.id} is not in the CLI's compare-hardware`);
    const marked = r.label.includes('(not modelled)') && (!r.bar || r.hatched);
    check(modelled[r.id] ? !r.label.includes('not modelled') && !r.hatched : marked, `hardware row ${r.id} (performance_model ${modelled[r.id]}) is drawn as "${r.label}", striped ${r.hatched}`);
  }
  log(`hardware rows not modelled, marked: ${hwRows.filter((r) => !modelled[r.id]).map((r) => r.id).join(', ')}`);
  await p3.close();

  step = 'offline and console';
  check(external.length === 0, `the page requested external URLs: ${external.join(', ')}`);
  check(pageErrors.length === 0, `errors in the page: ${pageErrors.join(' | ')}`);

  log(`PASS (screenshots in ${OUT})`);
}

main().then(async () => {
  clearTimeout(overall);
  await cleanup();
  process.exit(0);
}, (e) => fail(e.message));
