// `npm run bench`: the speed of the simulator on this machine, as figures anyone can rerun, side by
// side with the hand-optimised C implementation of the same model (../shared/anchors/c/ecosim_ref.c
// from the project's root), built and run in the same bench so that both meet the same machine.
//   customer-ticks per second of the baseline (mean field, partners one twentieth of the
//   customers, 260 ticks) at 10 000, 100 000 and 1 000 000 customers on one thread: of the tick
//   loop (setup excluded, as the C program measures itself) and of the whole process, for the
//   simulator and for C, the ratio simulator/C of the tick loops, and bytes of state per customer;
//   the speed-up of the 1 000 000-customer run on 2 threads against 1;
//   sweep runs per second on a small scenario with 1 and with 2 workers, the overhead per run of a
//   sweep on 1 worker over the same runs executed bare, one after another in a fresh process, and
//   the rate of C's tick loop on the same runs, in runs per second;
//   the time to render the full HTML report of a 200-point sweep;
//   a sweep of 1 500 small runs through Redis with two `ecosim worker` processes against the same
//   sweep on the local pool with 2 workers (bench/redis.mjs; skipped without redis-server).
// Options:
//   --sizes 10000,100000   the populations (default 10000,100000,1000000); --ticks N (default 260)
//   --repeat N             the fastest of N measurements of each is reported (default 3), as the
//                          least disturbed by the machine; C and the simulator take turns
//   --only runs|threads|sweep|report|profile|steps|segments|redis|lab   measure one part
//   --profile              also time each phase of the tick, in the simulator and in C, for the
//                          populations of 100 000 and more (the largest given if none is), and the
//                          steps of matching apart, in nanoseconds per need (bench/steps.mjs)
//   --json FILE            write every figure, and every measurement behind it, to FILE
//   --anchors DIR          where the C reference is (default ../shared/anchors from the project's
//                          root; in a linked git worktree, from the main checkout's root too)
// Without gcc or the C source the bench says so and prints the simulator's figures alone.
// It measures the built package (dist/, as shipped), which `npm run bench` builds first. Each timed
// run of one simulation, and each sweep, happens in a fresh process, as `ecosim run` and `ecosim
// sweep` do: a process that has already run a simulation compiles the next one less well (measured:
// about 10% slower), and one that has warmed its compiler would favour the sweep on its own thread.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '..');
const dist = (p) => import(new URL(`../dist/${p}`, import.meta.url).href);

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const flag = (name) => process.argv.includes(`--${name}`);
const sizes = arg('sizes', '10000,100000,1000000').split(',').map(Number);
const ticks = Number(arg('ticks', '260'));
const repeat = Math.max(1, Number(arg('repeat', '3')));
const only = arg('only', 'all');
const jsonFile = arg('json', '');
const profile = flag('profile') || only === 'profile';
const SEED = 42; // the scenario's default seed, given to C as well

function baseline(scenarioFromObject, customers) {
  return scenarioFromObject({
    name: `bench-${customers}`,
    ticks,
    customers: { count: customers },
    partners: { count: Math.round(customers / 20) },
    network: { type: 'meanfield' },
  });
}

/**
 * Times each phase of the engine's tick by wrapping the phases' `run` and the model's `collect`
 * (the engine's `model` is private to TypeScript, a plain property at run time). Null when the
 * engine does not expose them.
 */
function timePhases(sim) {
  const model = sim.engine?.model;
  if (!model || !Array.isArray(model.phases) || typeof model.collect !== 'function') return null;
  const names = [...model.phases.map((p) => p.name), 'metrics'];
  const seconds = new Float64Array(names.length);
  const wrap = (run, k) =>
    function (...args) {
      const t = performance.now();
      try {
        return run.apply(this, args);
      } finally {
        seconds[k] += performance.now() - t;
      }
    };
  try {
    model.phases.forEach((p, k) => (p.run = wrap(p.run, k)));
    model.collect = wrap(model.collect, names.length - 1);
  } catch {
    return null; // frozen
  }
  return () => Object.fromEntries(names.map((n, k) => [n, seconds[k] / 1000]));
}

/** One baseline run of `customers` on `threads` threads, timed in this process. */
async function timeRun(customers, threads, withPhases) {
  const t0 = performance.now();
  // Only the modules one run needs, as the whole process is timed too.
  const [{ Simulation }, { scenarioFromObject }, { footprint }] = await Promise.all([
    dist('simulate.js'),
    dist('sim/scenario/load.js'),
    dist('agents/footprint.js'),
  ]);
  const t1 = performance.now();
  const sim = new Simulation(baseline(scenarioFromObject, customers), 0, threads);
  try {
    const phases = withPhases ? timePhases(sim) : null;
    const t2 = performance.now();
    sim.engine.run();
    const t3 = performance.now();
    return {
      load: (t1 - t0) / 1000,
      setup: (t2 - t1) / 1000,
      seconds: (t3 - t2) / 1000,
      bytes: footprint(sim.engine.state).customers / customers,
      phases: phases ? phases() : withPhases ? 'unavailable' : undefined,
    };
  } finally {
    sim.close();
  }
}

const child = arg('child', '');
if (child !== '') {
  process.stdout.write(JSON.stringify(await timeRun(Number(child), Number(arg('threads', '1')), flag('profile'))));
  process.exit(0);
}

/** The same, in a fresh process; `process` is the whole process's time, as the parent sees it. */
function simRun(customers, threads = 1, withPhases = false) {
  const args = [self, '--child', String(customers), '--threads', String(threads), '--ticks', String(ticks)];
  if (withPhases) args.push('--profile');
  const t0 = performance.now();
  const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  return { ...JSON.parse(out), process: wall };
}

// The bench's sweep: 6 points of the take rate x 250 replications of a small scenario.
const SMALL = { name: 'bench-sweep', ticks: 52, customers: { count: 2000 }, partners: { count: 100 }, network: { type: 'meanfield' } };
const TAKE_RATES = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3];
const SWEEP_PARAMS = [{ kind: 'grid', path: 'platforms.0.takeRate', from: 0.05, to: 0.3, step: 0.05 }];
// Enough runs that starting the threads and warming their compilers weigh little, as in a real sweep.
const REPLICATIONS = 250;

// The same runs without the sweep around them (no pool, journal or outputs), as a thread of the
// pool executes them: what the sweep's overhead per run is measured against.
if (arg('child-bare', '') !== '') {
  const [{ executeRun }, { planSweep }] = await Promise.all([dist('experiment/worker.js'), dist('index.js')]);
  const plan = await planSweep({ scenario: SMALL, params: SWEEP_PARAMS, replications: REPLICATIONS });
  const task = { scenario: plan.raw, label: plan.label, timeseries: false, runs: plan.runs };
  const t0 = performance.now();
  for (const spec of plan.runs) executeRun(task, spec);
  process.stdout.write(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }));
  process.exit(0);
}

const childSweep = arg('child-sweep', '');
if (childSweep !== '') {
  const { sweep } = await dist('index.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-bench-'));
  try {
    const t0 = performance.now();
    await sweep({ scenario: SMALL, params: SWEEP_PARAMS, replications: REPLICATIONS, workers: Number(childSweep), out: path.join(dir, 'out') });
    process.stdout.write(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

// ------------------------------------------------------------------------------ the C reference

/** The C reference, built into a temporary directory (shared/ is read-only), or why there is none. */
function buildReference() {
  const given = arg('anchors', '');
  const candidates = given ? [{ dir: path.resolve(given), from: given }] : [{ dir: path.resolve(root, '..', 'shared', 'anchors'), from: "the project's ../shared/anchors" }];
  if (!given) {
    // A linked worktree of git has its own root: shared/ is beside the main checkout.
    const common = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: root, encoding: 'utf8' });
    const main = common.status === 0 ? path.dirname(common.stdout.trim()) : '';
    if (main && path.resolve(main) !== root) candidates.push({ dir: path.resolve(main, '..', 'shared', 'anchors'), from: "the main checkout's ../shared/anchors" });
  }
  const found = candidates.find((c) => fs.existsSync(path.join(c.dir, 'c', 'ecosim_ref.c')));
  if (!found) return { available: false, reason: `no C reference: ${candidates[0].from}/c/ecosim_ref.c does not exist (--anchors DIR names another place)` };
  const gcc = spawnSync('gcc', ['-dumpfullversion'], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) return { available: false, reason: 'no C reference: gcc is not installed' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-bench-ref-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const flags = ['-O3', '-march=native', '-std=c99'];
  const bin = path.join(dir, 'ecosim_ref');
  const built = spawnSync('gcc', [...flags, '-o', bin, 'ecosim_ref.c', '-lm'], { cwd: path.join(found.dir, 'c'), encoding: 'utf8' });
  if (built.status !== 0) return { available: false, reason: `no C reference: gcc failed to build it:\n${built.stderr}` };
  return { available: true, bin, csv: path.join(dir, 'ref.csv'), source: `${found.from}/c/ecosim_ref.c`, compiler: `gcc ${gcc.stdout.trim()} ${flags.join(' ')}` };
}

/** One run of the C reference; its tick loop's rate and phases as it prints them, its process as timed here. */
function cRun(ref, customers, tk, { withPhases = false, extra = [] } = {}) {
  const args = ['--customers', String(customers), '--ticks', String(tk), '--seed', String(SEED), '--out', ref.csv, ...extra];
  if (withPhases) args.push('--profile');
  const t0 = performance.now();
  const r = spawnSync(ref.bin, args, { encoding: 'utf8' });
  const wall = (performance.now() - t0) / 1000;
  const m = /setup=([\d.]+)s loop=([\d.]+)s customer-ticks\/s=(\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) throw new Error(`the C reference failed (${args.join(' ')}): ${r.stderr ?? r.error}`);
  const rate = Number(m[3]);
  const phases = withPhases ? Object.fromEntries([...r.stderr.matchAll(/phase (\S+)\s+([\d.]+)s/g)].map((p) => [p[1], Number(p[2])])) : undefined;
  // The loop's time from its rate: the printed seconds have three decimals only.
  return { setup: Number(m[1]), seconds: (customers * tk) / rate, rate, process: wall, phases };
}

/** The fastest of several measurements, figure by figure; the phases of the fastest tick loop. */
function fastest(samples, work) {
  if (samples.length === 0) return null;
  const min = (k) => Math.min(...samples.map((s) => s[k]));
  const best = samples.reduce((a, s) => (s.seconds < a.seconds ? s : a));
  const seconds = min('seconds');
  const proc = min('process');
  return {
    seconds,
    rate: work / seconds,
    setup: min('setup'),
    process: proc,
    processRate: work / proc,
    ...(best.bytes !== undefined ? { bytes: best.bytes } : {}),
    ...(best.phases !== undefined ? { phases: best.phases } : {}),
    samples: samples.map(({ phases, ...s }) => s),
  };
}

// ------------------------------------------------------------------------------------- the runs

const M = (x) => (x / 1e6).toFixed(2);
const pad = (s, n) => String(s).padStart(n);
const group = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
const load = () => os.loadavg()[0].toFixed(1);
const report = { node: process.version, cpu: os.cpus()[0]?.model ?? 'cpu', cores: os.cpus().length, ticks, repeat, sizes, loadAverage: { start: os.loadavg()[0] } };
const ref = buildReference();
report.reference = ref.available ? { source: ref.source, compiler: ref.compiler } : { unavailable: ref.reason };

console.log(`ecosim bench: Node ${process.version}, ${report.cpu} (${report.cores} cores, load average ${load()}), one thread unless said; the fastest of ${repeat} of each measurement`);
console.log(ref.available ? `C reference: ${ref.source}, built with ${ref.compiler}; it and the simulator take turns` : `${ref.reason}; the simulator's figures alone`);

const big = 1_000_000;
const withRuns = only === 'all' || only === 'runs' || only === 'profile';
const withThreads = only === 'all' || only === 'threads';
const profiled = (() => {
  const large = sizes.filter((n) => n >= 100_000);
  return large.length ? large : [Math.max(...sizes)];
})();
const runSizes = only === 'profile' ? profiled : sizes;
const rows = [];
const twoThreads = []; // the 2-thread runs of the 1 000 000-customer run, taken in turn with the others

if (withRuns) {
  console.log('');
  console.log(`baseline, ${ticks} ticks, M customer-ticks/s   tick loop (setup excluded)                whole process (start to exit)`);
  console.log(`customers               simulator          C reference         simulator/C   simulator          C reference         state`);
  for (const n of runSizes) {
    const withPhases = profile && profiled.includes(n);
    const sim = [];
    const c = [];
    for (let rep = 0; rep < repeat; rep++) {
      if (ref.available) c.push(cRun(ref, n, ticks, { withPhases }));
      sim.push(simRun(n, 1, withPhases));
      if (withThreads && n === big) twoThreads.push(simRun(n, 2));
    }
    const work = n * ticks;
    const row = { customers: n, ticks, simulator: fastest(sim, work), c: fastest(c, work) };
    row.ratio = row.c ? row.simulator.rate / row.c.rate : null;
    row.processRatio = row.c ? row.simulator.processRate / row.c.processRate : null;
    rows.push(row);
    const s = row.simulator;
    const fig = (r, sec) => `${pad(M(r), 6)} (${pad(sec.toFixed(2), 6)} s)`;
    const none = pad('-', 19);
    console.log(
      `${pad(group(n), 9)}           ${fig(s.rate, s.seconds)}  ${row.c ? fig(row.c.rate, row.c.seconds) : none}  ` +
        `${pad(row.c ? row.ratio.toFixed(2) : '-', 11)}   ${fig(s.processRate, s.process)}  ${row.c ? fig(row.c.processRate, row.c.process) : none}  ` +
        `${s.bytes.toFixed(1)} bytes/customer`,
    );
  }
  console.log(`  (simulator/C: the ratio of the tick loops' rates; the simulator's setup, scenario to first tick, took ` +
    rows.map((r) => `${r.simulator.setup.toFixed(2)} s`).join(', ') + (ref.available ? `; C's ${rows.map((r) => `${r.c.setup.toFixed(3)} s`).join(', ')})` : ')'));
  const target = { 100000: 7e6, 1000000: 4e6 };
  for (const r of rows) {
    const t = target[r.customers];
    if (t) console.log(`  ${r.customers} customers: ${(r.simulator.rate / t).toFixed(2)} x the target of ${t / 1e6} M customer-ticks/s`);
  }
  report.runs = rows;
}

// Where the time goes: the phases of the engine's tick against those of C's loop.
if (profile && withRuns) {
  // What does the same work in each: C folds the start-of-tick signals into its customers' pass and
  // the deactivation of poor partners into matching.
  const parts = [
    ["customers' and partners' turns", ['awareness', 'adoption'], ['customers', 'partners', 'alias'], 'awareness + adoption | customers + partners + alias'],
    ['matching', ['matching'], ['shuffle', 'matching'], 'matching | shuffle + matching'],
    ['the rest', ['policy', 'governance', 'accounting', 'metrics'], ['accounting'], 'policy + governance + accounting + metrics | accounting'],
  ];
  report.profile = [];
  for (const r of rows.filter((x) => profiled.includes(x.customers))) {
    const sp = r.simulator.phases;
    const cp = r.c?.phases;
    console.log('');
    if (typeof sp !== 'object') {
      console.log(`profile of ${group(r.customers)} customers: the engine does not expose its phases to the bench`);
      continue;
    }
    console.log(`profile of ${group(r.customers)} customers x ${ticks} ticks: the phases of the fastest tick loop of each, seconds and share of the loop`);
    const simRows = Object.entries(sp);
    const inPhases = simRows.reduce((a, [, v]) => a + v, 0);
    simRows.push(['(engine)', r.simulator.seconds - inPhases]);
    const cRows = cp ? Object.entries(cp) : [];
    const line = (e, total) => (e ? `${e[0].padEnd(12)} ${pad(e[1].toFixed(3), 7)} s ${pad(((100 * e[1]) / total).toFixed(1), 5)}%` : ''.padEnd(29));
    console.log(`  ${'simulator'.padEnd(29)}    ${cp ? 'C reference' : ''}`.trimEnd());
    for (let k = 0; k < Math.max(simRows.length, cRows.length); k++) {
      console.log(`  ${line(simRows[k], r.simulator.seconds)}    ${cp ? line(cRows[k], r.c.seconds) : ''}`.trimEnd());
    }
    console.log(`  ${line(['loop', r.simulator.seconds], r.simulator.seconds)}    ${cp ? line(['loop', r.c.seconds], r.c.seconds) : ''}`.trimEnd());
    const entry = { customers: r.customers, simulator: sp, c: cp ?? null, parts: [] };
    if (cp) {
      console.log(`  the same work in both                simulator        C   simulator/C (time)   phases (simulator | C)`);
      for (const [label, sNames, cNames, which] of parts) {
        const a = sNames.reduce((x, n) => x + (sp[n] ?? 0), 0);
        const b = cNames.reduce((x, n) => x + (cp[n] ?? 0), 0);
        entry.parts.push({ part: label, simulator: a, c: b, ratio: a / b, simulatorPhases: sNames, cPhases: cNames });
        console.log(`  ${label.padEnd(32)} ${pad(a.toFixed(2), 8)} s ${pad(b.toFixed(2), 6)} s ${pad((a / b).toFixed(1), 10)}           ${which}`);
      }
    }
    report.profile.push(entry);
  }
}

// One large run split over threads: the same output, sooner.
if (withThreads) {
  const n = big;
  // The fastest of `repeat` runs each, alternating, so that a slow spell of the machine weighs on
  // both alike; with the table above, its 1 000 000-customer runs are the single-thread ones.
  const oneThread = rows.find((r) => r.customers === n)?.simulator.samples ?? [];
  if (twoThreads.length === 0) {
    for (let rep = 0; rep < repeat; rep++) {
      oneThread.push(simRun(n, 1));
      twoThreads.push(simRun(n, 2));
    }
  }
  const one = Math.min(...oneThread.map((r) => r.seconds));
  const two = Math.min(...twoThreads.map((r) => r.seconds));
  report.threads = { customers: n, ticks, oneThread: one, twoThreads: two, speedup: one / two, oneThreadSamples: oneThread, twoThreadSamples: twoThreads };
  console.log('');
  console.log(`one run of ${n} customers x ${ticks} ticks: ${one.toFixed(1)} s on 1 thread, ${two.toFixed(1)} s on 2: speed-up ${(one / two).toFixed(2)} (target 1.6)`);
}

// Sweeps: many small runs over a worker pool.
if (only === 'all' || only === 'sweep') {
  const runs = 6 * REPLICATIONS;
  // Each sweep in a fresh process, as `ecosim sweep` runs: every thread starts with cold compilers,
  // the one worker of --workers 1 (this process's main thread) as much as the two of --workers 2.
  const sweepRate = (workers) => {
    const out = execFileSync(process.execPath, [self, '--child-sweep', String(workers)], { encoding: 'utf8' });
    return runs / JSON.parse(out).seconds;
  };
  const bareRate = () => {
    const out = execFileSync(process.execPath, [self, '--child-bare', '1'], { encoding: 'utf8' });
    return runs / JSON.parse(out).seconds;
  };
  // C's tick loop on the same six points, one run each (its partners are customers / 20 = 100 too).
  const small = SMALL.customers.count * SMALL.ticks;
  const cPoints = TAKE_RATES.map(() => Infinity);
  // The fastest of three, alternating, as for single runs: the machine's noise only ever slows a run.
  let one = 0;
  let two = 0;
  let bare = 0;
  for (let rep = 0; rep < repeat; rep++) {
    bare = Math.max(bare, bareRate());
    one = Math.max(one, sweepRate(1));
    two = Math.max(two, sweepRate(2));
    if (ref.available) TAKE_RATES.forEach((t, k) => (cPoints[k] = Math.min(cPoints[k], cRun(ref, SMALL.customers.count, SMALL.ticks, { extra: ['--takeRate', String(t)] }).seconds)));
  }
  const bareRun = 1 / bare;
  console.log('');
  console.log(
    `sweep of ${runs} runs (2 000 customers x 52 ticks, 6 points x ${REPLICATIONS} replications): ${one.toFixed(1)} runs/s with 1 worker, ${two.toFixed(1)} with 2: ` +
      `ratio ${(two / one).toFixed(2)} (target 1.8); overhead per run ${((1 / one - bareRun) * 1000).toFixed(1)} ms ` +
      `over a bare run of ${(bareRun * 1000).toFixed(1)} ms`,
  );
  report.sweep = { runs, customers: SMALL.customers.count, ticks: SMALL.ticks, oneWorker: one, twoWorkers: two, bare, overheadMs: (1 / one - bareRun) * 1000 };
  if (ref.available) {
    const cRuns = TAKE_RATES.length / cPoints.reduce((a, s) => a + s, 0);
    console.log(
      `  C's tick loop on the same 6 points: ${M(cRuns * small)} M customer-ticks/s, ${cRuns.toFixed(1)} runs/s on one thread: ` +
        `the sweep on 1 worker runs at ${(one / cRuns).toFixed(2)} of that, the bare runs at ${(bare / cRuns).toFixed(2)}, the sweep on 2 workers at ${(two / cRuns).toFixed(2)}`,
    );
    Object.assign(report.sweep, { cRuns, cRate: cRuns * small, oneWorkerToC: one / cRuns, bareToC: bare / cRuns, twoWorkersToC: two / cRuns, cPointSeconds: cPoints });
  }
}

// The offline report of a 200-point sweep: every summary metric of every point, inlined and drawn.
if (only === 'all' || only === 'report') {
  const { renderReport, sweep } = await dist('index.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-bench-report-'));
  try {
    const tiny = { name: 'bench-report', ticks: 20, customers: { count: 500 }, partners: { count: 25 }, network: { type: 'meanfield' } };
    const params = [
      { kind: 'range', path: 'platforms.0.takeRate', from: 0.05, to: 0.35 },
      { kind: 'range', path: 'platforms.0.partnerSubsidy', from: 0, to: 1 },
    ];
    const out = path.join(dir, 'sweep');
    await sweep({ scenario: tiny, params, design: 'lhs', samples: 200, workers: 2, out });
    let best = Infinity;
    let bytes = 0;
    for (let rep = 0; rep < repeat; rep++) {
      const t0 = performance.now();
      bytes = renderReport(out).length;
      best = Math.min(best, performance.now() - t0);
    }
    report.report = { points: 200, seconds: best / 1000, bytes };
    console.log('');
    console.log(`report of a 200-point sweep: ${(best / 1000).toFixed(2)} s to render (target under 2 s), ${(bytes / 1024).toFixed(0)} KB`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The steps of matching taken apart (bench/steps.mjs), with the profile.
if (only === 'steps' || (profile && (only === 'all' || only === 'profile'))) (await import('./steps.mjs')).benchSteps({ sizes: profiled, ticks, repeat, report });

// Customer segments and in-market experiments against the same run without them (bench/segments.mjs).
if (only === 'all' || only === 'segments') (await import('./segments.mjs')).benchSegments({ repeat, ticks });

// A sweep through Redis with two workers against the local pool (bench/redis.mjs).
if (only === 'all' || only === 'redis') await (await import('./redis.mjs')).benchRedis({ repeat, report });

// The live lab in headless Chromium (bench/lab.mjs), in a process of its own as a browser is; its
// figures go beside the others' in --json, as FILE with ".lab" before the extension.
if (only === 'all' || only === 'lab') {
  const labArgs = ['--ticks', String(ticks)];
  if (jsonFile) labArgs.push('--json', jsonFile.replace(/(\.json)?$/, '.lab.json'));
  console.log('');
  execFileSync(process.execPath, [fileURLToPath(new URL('./lab.mjs', import.meta.url)), ...labArgs], { stdio: 'inherit' });
}

report.loadAverage.end = os.loadavg()[0];
console.log(`\nload average at the end: ${load()} (this bench's own runs count for about 1 of it)`);
if (jsonFile) {
  fs.mkdirSync(path.dirname(path.resolve(jsonFile)), { recursive: true });
  fs.writeFileSync(jsonFile, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nall figures written to ${jsonFile}`);
}
