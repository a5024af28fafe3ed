import type { MetricRow } from '../../sim/metrics.js';
import { scenarioFromObjectIn } from '../../sim/scenario/resolve.js';
import { policyPatchSchema, type PolicyPatch } from '../../sim/scenario/schema.js';
import type { FromWorker, Speed, ToWorker } from './protocol.js';
import { LabRun, type Intervention } from './run.js';

// The lab's Web Worker: the engine's browser bundle. It runs ticks in slices of a few milliseconds
// and posts each slice's rows, so commands (pause, a slider) are read between slices and the page
// stays free to draw. Bundled for the browser with no Node import (test/lab-bundle.test.ts).

/** Longest stretch of ticks between two looks at the message queue. */
const SLICE_MS = 25;

/** The memory a tab can count on, for the scenario's memory check: the device's, at most 4 GB (a tab's heap). */
function memoryBudget(): number {
  const gb = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  return Math.min(typeof gb === 'number' && gb > 0 ? gb : 4, 4) * 2 ** 30;
}

type Message = FromWorker extends infer M ? (M extends unknown ? Omit<M, 'run'> : never) : never;

let run: LabRun | undefined;
/** The number the page gave the current run. */
let runNumber = 0;
const post = (m: Message) => (globalThis as unknown as { postMessage(m: FromWorker): void }).postMessage({ ...m, run: runNumber } as FromWorker);

let playing = false;
let speed: Speed = 30;
/** When play started (or the speed changed) and the tick then: ticks due are counted from there. */
let clock = { start: 0, tick: 0 };
let scheduled = false;
let recent: { t: number; tick: number }[] = [];

// A message channel hands back control sooner than setTimeout, which browsers clamp to 4 ms.
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  scheduled = false;
  slice();
};
function later(delay: number): void {
  if (scheduled) return;
  scheduled = true;
  if (delay <= 0) channel.port2.postMessage(0);
  else setTimeout(() => channel.port2.postMessage(0), delay);
}

function state(): void {
  post({ type: 'state', playing, tick: run?.tick ?? 0, done: run?.done ?? false });
}

function rate(tick: number): number {
  const now = performance.now();
  recent.push({ t: now, tick });
  while (recent.length > 2 && now - recent[0]!.t > 2000) recent.shift();
  const first = recent[0]!;
  return now > first.t ? ((tick - first.tick) * 1000) / (now - first.t) : 0;
}

/** Runs up to `limit` ticks within one slice and posts their rows. */
function advance(limit: number): void {
  if (run === undefined) return;
  const rows: MetricRow[] = [];
  const applied: Intervention[] = [];
  const start = performance.now();
  let n = 0;
  while (n < limit && !run.done && performance.now() - start < SLICE_MS) {
    const r = run.step();
    for (const row of r.rows) rows.push(row);
    for (const a of r.applied) applied.push(a);
    n++;
  }
  if (n > 0) post({ type: 'rows', rows, applied, tick: run.tick, ticksPerSecond: rate(run.tick) });
}

function slice(): void {
  if (run === undefined || !playing) return;
  if (speed === 'max') advance(Infinity);
  else {
    let due = clock.tick + Math.floor(((performance.now() - clock.start) * speed) / 1000) - run.tick;
    // More than a second behind (a speed the machine cannot reach, a tab in the background): the
    // clock starts again from here rather than catching up in a burst later.
    if (due > Math.max(1, speed)) {
      restartClock();
      due = 1;
    }
    if (due > 0) advance(due);
  }
  if (run.done) {
    playing = false;
    state();
    return;
  }
  later(speed === 'max' ? 0 : Math.max(0, 1000 / speed - 1));
}

function restartClock(): void {
  clock = { start: performance.now(), tick: run?.tick ?? 0 };
  recent = [];
}

function set(platform: number, patch: PolicyPatch): void {
  if (run === undefined) return;
  const checked = policyPatchSchema.safeParse(patch);
  if (!checked.success) {
    post({ type: 'error', message: `policy change refused: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
    return;
  }
  post({ type: 'applied', intervention: run.intervene(platform, checked.data as PolicyPatch) });
}

function handle(m: ToWorker): void {
  switch (m.type) {
    case 'load': {
      playing = false;
      runNumber = m.run;
      const scenario = scenarioFromObjectIn(m.raw, [], m.label, memoryBudget());
      // A shared link's changes are checked like a slider's: one that the schema refuses is left out.
      const planned = (m.planned ?? []).filter((i) => policyPatchSchema.safeParse(i.set).success);
      run = new LabRun(scenario, planned);
      post({
        type: 'ready',
        ticks: scenario.ticks,
        customers: scenario.customers.count,
        partners: scenario.partners.count,
        platforms: scenario.platforms.map((p, i) => ({ name: p.name, policy: { ...run!.policy(i) }, houseRoom: run!.houseRoom()[i]! })),
      });
      state();
      return;
    }
    case 'play':
      speed = m.speed;
      playing = run !== undefined && !run.done;
      restartClock();
      state();
      later(0);
      return;
    case 'speed':
      speed = m.speed;
      restartClock();
      return;
    case 'pause':
      playing = false;
      state();
      return;
    case 'step':
      playing = false;
      advance(1);
      state();
      return;
    case 'set':
      set(m.platform, m.set);
      return;
  }
}

(globalThis as unknown as { onmessage: (e: { data: ToWorker }) => void }).onmessage = (e) => {
  try {
    handle(e.data);
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
