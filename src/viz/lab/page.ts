import { METRIC_NAMES, METRICS, type MetricName, type MetricRow } from '../../sim/metrics.js';
import { metricsCsv } from '../../sim/output/csv.js';
import { isScenarioError } from '../../sim/scenario/errors.js';
import { parseScenarioText, scenarioFromObjectIn } from '../../sim/scenario/resolve.js';
import type { PolicyPatch } from '../../sim/scenario/schema.js';
import { appendRows, LAB_CHART_IDS, labCharts, type LabChart, type LabChartInput, type YDomains } from './charts.js';
import { POLICY_GROUPS, policyControls } from './controls.js';
import { controlRow } from './controlRow.js';
import { $, download, el, show, svgToPng } from './dom.js';
import { fragmentText, parseFragment } from './fragment.js';
import { markerSvg, type Marker } from './markers.js';
import type { FromWorker, PlatformInfo, Speed, ToWorker } from './protocol.js';
import { sessionYaml } from './record.js';
import type { Intervention } from './run.js';
import { applySetup, SETUP_FIELDS, setupValue } from './setup.js';

// The lab's page: the controls, the live charts and the timeline. It sends commands to the worker
// and draws what the worker posts, at its own pace (see `frame`), so a click is answered at once
// however fast the simulation goes.

interface LibraryEntry { readonly name: string; readonly file: string; readonly text: string }
interface LabData { readonly library: readonly LibraryEntry[]; readonly initial: string }

const data = JSON.parse(document.getElementById('lab-data')!.textContent!) as LabData;
const workerSource = document.getElementById('lab-worker')!.textContent!;

/** The memory the page's check counts on: the same rule as the worker's. */
const MEMORY = Math.min(((navigator as { deviceMemory?: number }).deviceMemory ?? 4) || 4, 4) * 2 ** 30;

const state = {
  source: { name: '', file: '', text: '' } as LibraryEntry,
  base: {} as Record<string, unknown>,
  /** The raw scenario of the current run: setup and seed applied. */
  raw: {} as Record<string, unknown>,
  setup: {} as Record<string, number | string>,
  platforms: [] as PlatformInfo[],
  policy: [] as Record<string, unknown>[],
  ticks: 0,
  customers: 0,
  partners: 0,
  rows: [] as MetricRow[],
  ghost: [] as MetricRow[],
  interventions: [] as Intervention[],
  playing: false,
  done: false,
  tick: 0,
  rate: 0,
  dirty: true,
  picked: 'customers' as MetricName,
  platform: 0,
  /** The number of the current run: the worker's messages about an earlier one are dropped. */
  run: 0,
};

const worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
const send = (m: ToWorker) => worker.postMessage(m);

function message(text: string, kind: 'error' | 'info' = 'error'): void {
  const box = $('message');
  box.textContent = text;
  box.className = text === '' ? '' : kind;
}

// ---------------------------------------------------------------------------------------------
// Scenario, setup and seed.

/** Parses and checks scenario text as `ecosim validate` does; shows its messages and returns undefined when it fails. */
function checked(text: string, file: string): Record<string, unknown> | undefined {
  try {
    const raw = parseScenarioText(text, file) as Record<string, unknown>;
    scenarioFromObjectIn(raw, [], file, MEMORY);
    return raw;
  } catch (e) {
    if (isScenarioError(e)) message(e.message);
    else message(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

function choose(entry: LibraryEntry): boolean {
  const raw = checked(entry.text, entry.file);
  if (raw === undefined) return false;
  state.source = entry;
  state.base = raw;
  state.setup = Object.fromEntries(SETUP_FIELDS.map((f) => [f.path, setupValue(raw, f.path)]));
  state.ghost = [];
  state.rows = [];
  $<HTMLInputElement>('seed').value = String(typeof raw.seed === 'number' ? raw.seed : 42);
  drawSetup();
  message('');
  return true;
}

function seed(): number {
  const v = Number($<HTMLInputElement>('seed').value);
  return Number.isInteger(v) && v >= 0 && v <= 4294967295 ? v : NaN;
}

/** Starts the run again from tick 0 with the setup and the seed shown; the run so far becomes the ghost. */
function reset(planned: readonly Intervention[] = []): void {
  const s = seed();
  if (Number.isNaN(s)) {
    message('seed: expected a whole number between 0 and 4294967295');
    return;
  }
  const raw = { ...applySetup(state.base, state.setup), seed: s };
  try {
    scenarioFromObjectIn(raw, [], state.source.file, MEMORY);
  } catch (e) {
    message(e instanceof Error ? e.message : String(e));
    return;
  }
  message('');
  if (state.rows.length > 0) state.ghost = state.rows;
  state.rows = [];
  state.interventions = [];
  state.raw = raw;
  redrawAll();
  state.run++;
  send({ type: 'load', run: state.run, raw, label: state.source.file, planned });
  drawTimeline();
}

// ---------------------------------------------------------------------------------------------
// Controls.

function speed(): Speed {
  const v = $<HTMLSelectElement>('speed').value;
  return v === 'max' ? 'max' : Number(v);
}

function intervene(key: string, value: unknown): void {
  if (state.done) {
    message('the run has ended: reset to run it again with other policies');
    return;
  }
  send({ type: 'set', platform: state.platform, set: { [key]: value } as PolicyPatch });
}

function drawPolicies(): void {
  const box = $('policies');
  box.replaceChildren();
  const pick = $<HTMLSelectElement>('platform');
  pick.replaceChildren(...state.platforms.map((p, i) => el('option', { value: String(i) }, p.name)));
  if (state.platform >= state.platforms.length) state.platform = 0;
  pick.value = String(state.platform);
  const info = state.platforms[state.platform];
  if (info === undefined) return;
  const policy = state.policy[state.platform]!;
  const controls = policyControls(policy, info.houseRoom);
  for (const group of POLICY_GROUPS) {
    const fs = el('details', { class: 'group', 'data-group': group });
    if (group === 'pricing' || group === 'subsidies') fs.setAttribute('open', '');
    fs.append(el('summary', {}, group));
    for (const c of controls.filter((x) => x.group === group)) fs.append(controlRow(c, policy[c.key], intervene));
    box.append(fs);
  }
}

function drawSetup(): void {
  const box = $('setup');
  box.replaceChildren(el('summary', {}, 'setup (applies on reset)'));
  for (const f of SETUP_FIELDS) {
    const row = el('div', { class: 'control', title: f.description });
    const id = `setup-${f.path.replace(/\./g, '-')}`;
    row.append(el('label', { for: id }, f.label));
    let input: HTMLInputElement | HTMLSelectElement;
    if (f.options) {
      input = el('select', { id });
      for (const o of f.options) input.append(el('option', { value: o }, o));
    } else {
      input = el('input', { id, type: 'number', step: f.integer ? '1' : 'any', ...(f.min === undefined ? {} : { min: String(f.min) }), ...(f.max === undefined ? {} : { max: String(f.max) }) });
    }
    input.value = String(state.setup[f.path]);
    input.addEventListener('change', () => {
      state.setup[f.path] = f.options ? input.value : Number(input.value);
    });
    row.append(input);
    box.append(row);
  }
}

function drawTimeline(): void {
  const list = $('timeline');
  list.replaceChildren(
    ...state.interventions.map((i, n) => el('li', { 'data-tick': String(i.at) }, `${n + 1}. tick ${i.at}: ${describe(i)}`)),
  );
  $('timeline-empty').hidden = state.interventions.length > 0;
}

function describe(i: Intervention): string {
  const name = state.platforms[i.platform]?.name ?? String(i.platform);
  const sets = Object.entries(i.set).map(([k, v]) => `${k} ${v === null ? 'unlimited' : String(v)}`);
  return `${state.platforms.length > 1 ? `${name} ` : ''}${sets.join(', ')}`;
}

function updateFragment(): void {
  const text = fragmentText({ scenario: state.source.name, seed: Number(state.raw.seed), setup: changedSetup(), changes: state.interventions });
  history.replaceState(null, '', `#${text}`);
}

/** Setup values that differ from the scenario's own, for the link. */
function changedSetup(): Record<string, number | string> {
  return Object.fromEntries(Object.entries(state.setup).filter(([k, v]) => setupValue(state.base, k) !== v));
}

// ---------------------------------------------------------------------------------------------
// Charts.

let lastDraw = 0;
let drawCost = 0;
const SIZE = { width: 760, height: 400 };
/** The charts on the page, by id, as drawn or last grown. */
const charts = new Map<string, LabChart>();
/** The paths of each chart's lines (the chart's `path.series` elements, in order). */
const paths = new Map<string, Element[]>();
/** Charts to draw anew at the next frame rather than grow: a new run, a new metric, back in view. */
const stale = new Set<string>(LAB_CHART_IDS);
/** Charts whose markers are to be drawn again (an intervention since). */
const remark = new Set<string>();
/** The y ranges each chart covers at least in this run: they grow, never shrink, while it goes. */
let yDomains: Record<string, YDomains> = {};
/** Charts scrolled out of view are neither drawn nor grown until they come back (one figure drawn is one less laid out and painted). */
const hidden = new Set<string>();
const visibility = new IntersectionObserver((entries) => {
  for (const e of entries) {
    const id = (e.target as HTMLElement).dataset.chart!;
    if (e.isIntersecting) {
      if (hidden.delete(id)) {
        stale.add(id);
        state.dirty = true;
      }
    } else hidden.add(id);
  }
});

/** Every chart is drawn anew at the next frame, with y ranges from its data alone. */
function redrawAll(): void {
  for (const id of LAB_CHART_IDS) stale.add(id);
  yDomains = {};
  state.dirty = true;
}

function markers(): Marker[] {
  return state.interventions.map((i) => ({ tick: i.at, label: describe(i) }));
}

function chartInput(): LabChartInput {
  return {
    rows: state.rows,
    ghost: state.ghost,
    platforms: state.platforms.map((p) => p.name),
    customerPool: state.customers,
    partnerPool: state.partners,
    markers: markers(),
    picked: state.picked,
    ...(state.ticks > 0 ? { lastTick: state.ticks - 1 } : {}),
    yDomains,
  };
}

/** Draws the charts of those ids from scratch (the others stay as they are). */
function drawCharts(ids: ReadonlySet<string>): void {
  const drawn = labCharts(chartInput(), SIZE, ids);
  const box = $('charts');
  for (const c of drawn) {
    charts.set(c.id, c);
    let fig = box.querySelector<HTMLElement>(`figure[data-chart="${c.id}"]`);
    if (fig === null) {
      fig = el('figure', { 'data-chart': c.id });
      const body = el('div', { class: 'svg' });
      const bar = el('div', { class: 'exports' });
      const svgButton = el('button', { type: 'button', class: 'export-svg' }, 'SVG');
      const pngButton = el('button', { type: 'button', class: 'export-png' }, 'PNG');
      svgButton.addEventListener('click', () => exportSvg(c.id));
      pngButton.addEventListener('click', () => void exportPng(c.id));
      bar.append(svgButton, pngButton);
      fig.append(body, bar);
      // In the page's order, whichever was drawn first.
      const next = LAB_CHART_IDS.slice(LAB_CHART_IDS.indexOf(c.id as never) + 1).map((id) => box.querySelector(`figure[data-chart="${id}"]`)).find((f) => f !== null);
      box.insertBefore(fig, next ?? null);
      visibility.observe(fig);
    }
    const body = fig.querySelector('.svg')!;
    body.innerHTML = c.svg.replace(/^<\?xml[^>]*>\s*/, '');
    paths.set(c.id, Array.from(body.querySelectorAll('path.series')));
  }
  // A chart asked for with nothing to draw (no rows since the reset, and no ghost) goes.
  const got = new Set(drawn.map((c) => c.id));
  for (const id of ids) {
    if (got.has(id)) continue;
    const fig = box.querySelector<HTMLElement>(`figure[data-chart="${id}"]`);
    charts.delete(id);
    paths.delete(id);
    if (fig === null) continue;
    visibility.unobserve(fig);
    hidden.delete(id);
    fig.remove();
  }
}

/** Adds the rows that came since each chart in view was drawn as segments of its lines; draws anew those that cannot grow. */
function updateCharts(): void {
  const t0 = performance.now();
  const redraw = new Set<string>();
  for (const id of LAB_CHART_IDS) {
    if (hidden.has(id)) continue;
    const c = charts.get(id);
    if (c === undefined || stale.has(id)) {
      redraw.add(id);
      continue;
    }
    const grown = appendRows(c, state.rows);
    if ('redraw' in grown) {
      yDomains[id] = grown.yDomains;
      redraw.add(id);
      continue;
    }
    const own = paths.get(id) ?? [];
    grown.chart.lines.forEach((l, i) => {
      const p = own[l.path];
      if (p !== undefined && grown.d[i] !== '') p.setAttribute('d', (p.getAttribute('d') ?? '') + grown.d[i]!);
    });
    charts.set(id, grown.chart);
    if (remark.has(id)) {
      const svg = document.querySelector(`#charts figure[data-chart="${id}"] svg`);
      if (svg !== null) {
        for (const g of Array.from(svg.querySelectorAll('g.marker'))) g.remove();
        svg.insertAdjacentHTML('beforeend', markerSvg(markers(), c.plot.frame, c.plot.xDomain));
      }
    }
  }
  if (redraw.size > 0) drawCharts(redraw);
  for (const id of redraw) stale.delete(id);
  for (const id of Array.from(remark)) if (!hidden.has(id)) remark.delete(id);
  drawCost = performance.now() - t0;
  lastDraw = performance.now();
}

/**
 * Charts are grown at most ten times a second (five "as fast as it goes") and for at most a tenth
 * of the page's time: on a machine of two cores the page's drawing, and the browser's layout and
 * paint of it, take time from the worker's core (measured at 10 000 customers: a quarter to a third
 * fewer ticks per second when drawing ten times a second); ten frames a second read as motion.
 */
function frame(): void {
  const every = state.playing && speed() === 'max' ? 200 : 100;
  if (state.dirty && performance.now() - lastDraw >= Math.max(every, 9 * drawCost)) {
    state.dirty = false;
    updateCharts();
  }
  show('tick', `tick ${state.tick} / ${state.ticks}`);
  show('rate', state.playing ? `${Math.round(state.rate)} ticks/s` : state.done ? 'ended' : 'paused');
  show('play', state.playing ? 'pause' : 'play');
  requestAnimationFrame(frame);
}

// ---------------------------------------------------------------------------------------------
// Downloads.

const stem = () => state.source.file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'scenario';

/** A chart as the page shows it, drawn whole from the rows so far (what the export buttons save). */
function chartNow(id: string): LabChart | undefined {
  return labCharts(chartInput(), SIZE, new Set([id]))[0];
}

function exportSvg(id: string): void {
  const c = chartNow(id);
  if (c) download(`${stem()}-${id}.svg`, new Blob([c.svg], { type: 'image/svg+xml' }));
}

async function exportPng(id: string): Promise<void> {
  const c = chartNow(id);
  if (!c) return;
  try {
    download(`${stem()}-${id}.png`, await svgToPng(c.svg));
  } catch (e) {
    message(e instanceof Error ? e.message : String(e));
  }
}

// ---------------------------------------------------------------------------------------------
// The worker's messages.

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  if (m.run !== state.run) return;
  switch (m.type) {
    case 'ready':
      state.platforms = [...m.platforms];
      state.policy = m.platforms.map((p) => ({ ...p.policy }));
      state.ticks = m.ticks;
      state.customers = m.customers;
      state.partners = m.partners;
      state.tick = 0;
      // The run's length is known now: the charts span it.
      redrawAll();
      drawPolicies();
      updateFragment();
      return;
    case 'rows':
      for (const r of m.rows) state.rows.push(r);
      for (const a of m.applied) applied(a);
      state.tick = m.tick;
      state.rate = m.ticksPerSecond;
      state.dirty = true;
      return;
    case 'applied':
      applied(m.intervention);
      return;
    case 'state':
      state.playing = m.playing;
      state.done = m.done;
      state.tick = m.tick;
      return;
    case 'error':
      message(m.message);
      return;
  }
};
worker.onerror = (e) => message(`the simulation stopped: ${e.message}`);

function applied(i: Intervention): void {
  state.interventions.push(i);
  Object.assign(state.policy[i.platform]!, i.set);
  for (const id of LAB_CHART_IDS) remark.add(id);
  state.dirty = true;
  drawTimeline();
  updateFragment();
}

// ---------------------------------------------------------------------------------------------
// Wiring.

function init(): void {
  const pick = $<HTMLSelectElement>('scenario');
  for (const s of data.library) pick.append(el('option', { value: s.name }, s.name));
  const metric = $<HTMLSelectElement>('metric');
  for (const name of METRIC_NAMES) metric.append(el('option', { value: name, title: METRICS.find((x) => x.name === name)!.description }, name));
  metric.value = state.picked;
  metric.addEventListener('change', () => {
    state.picked = metric.value as MetricName;
    stale.add('picked');
    delete yDomains.picked;
    state.dirty = true;
  });

  $('play').addEventListener('click', () => send(state.playing ? { type: 'pause' } : { type: 'play', speed: speed() }));
  $('step').addEventListener('click', () => send({ type: 'step' }));
  $('reset').addEventListener('click', () => reset());
  $('speed').addEventListener('change', () => send({ type: 'speed', speed: speed() }));
  $('platform').addEventListener('change', () => {
    state.platform = Number($<HTMLSelectElement>('platform').value);
    drawPolicies();
  });
  pick.addEventListener('change', () => {
    const entry = data.library.find((s) => s.name === pick.value);
    if (entry && choose(entry)) reset();
  });
  const readFile = (file: File) => {
    void file.text().then((text) => {
      const entry = { name: file.name, file: file.name, text };
      if (choose(entry)) {
        pick.value = '';
        reset();
      }
    });
  };
  $<HTMLInputElement>('file').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) readFile(f);
  });
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    const f = e.dataTransfer?.files[0];
    if (f) readFile(f);
  });
  $('save-scenario').addEventListener('click', () => {
    const text = sessionYaml({ raw: state.raw, interventions: state.interventions, source: state.source.file });
    download(`${stem()}-session.yaml`, new Blob([text], { type: 'text/yaml' }));
  });
  $('save-csv').addEventListener('click', () => download(`${stem()}-metrics.csv`, new Blob([metricsCsv(state.rows)], { type: 'text/csv' })));

  // A shared link names the scenario, the seed, the setup and the interventions.
  const link = parseFragment(location.hash.replace(/^#/, ''));
  const entry = data.library.find((s) => s.name === (link?.scenario ?? data.initial)) ?? data.library[0];
  if (entry === undefined || !choose(entry)) return;
  pick.value = entry.name;
  if (link) {
    if (link.seed !== undefined) $<HTMLInputElement>('seed').value = String(link.seed);
    Object.assign(state.setup, link.setup);
    drawSetup();
  }
  reset(link?.changes ?? []);
  requestAnimationFrame(frame);
}

init();
