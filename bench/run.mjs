// `npm run bench`: the speed of the simulator on this machine, as figures anyone can rerun.
//   customer-ticks per second of the baseline (mean field, partners one twentieth of the
//   customers, 260 ticks) at 10 000, 100 000 and 1 000 000 customers, and bytes of state per customer;
//   the speed-up of the 1 000 000-customer run on 2 threads against 1;
//   sweep runs per second on a small scenario with 1 and with 2 workers, and the overhead per run
//   of a sweep on 1 worker over the same runs executed bare, one after another in a fresh process;
//   the time to render the full HTML report of a 200-point sweep.
// Options: --sizes 10000,100000 to choose the populations; --ticks N; --repeat N (default 3: the
// fastest of N runs is reported for populations up to 100 000, for the 1 000 000-customer run on
// 1 and on 2 threads, and for sweeps on 1 and on 2 workers, as the least disturbed by the machine);
// --only runs|threads|sweep|report|segments to measure one part.
// It measures the built package (dist/, as shipped), which `npm run bench` builds first. Each timed
// run of one simulation, and each sweep, happens in a fresh process, as `ecosim run` and `ecosim
// sweep` do: a process that has already run a simulation compiles the next one less well (measured:
// about 10% slower), and one that has warmed its compiler would favour the sweep on its own thread.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { footprint, planSweep, renderReport, scenarioFromObject, Simulation, sweep } from '../dist/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const sizes = arg('sizes', '10000,100000,1000000').split(',').map(Number);
const ticks = Number(arg('ticks', '260'));
const repeat = Number(arg('repeat', '3'));
const only = arg('only', 'all');

function baseline(customers) {
  return scenarioFromObject({
    name: `bench-${customers}`,
    ticks,
    customers: { count: customers },
    partners: { count: Math.round(customers / 20) },
    network: { type: 'meanfield' },
  });
}

/** One baseline run of `customers` on `threads` threads, timed in this process. */
function timeRun(customers, threads) {
  const sim = new Simulation(baseline(customers), 0, threads);
  try {
    const t0 = performance.now();
    sim.engine.run();
    return { seconds: (performance.now() - t0) / 1000, bytes: footprint(sim.engine.state).customers / customers };
  } finally {
    sim.close();
  }
}

/** The same, in a fresh process. */
function timeRunApart(customers, threads = 1) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(customers), '--threads', String(threads), '--ticks', String(ticks)], { encoding: 'utf8' });
  return JSON.parse(out);
}

const child = arg('child', '');
if (child !== '') {
  process.stdout.write(JSON.stringify(timeRun(Number(child), Number(arg('threads', '1')))));
  process.exit(0);
}

// The bench's sweep: 6 points of the take rate x 250 replications of a small scenario.
const SMALL = { name: 'bench-sweep', ticks: 52, customers: { count: 2000 }, partners: { count: 100 }, network: { type: 'meanfield' } };
const SWEEP_PARAMS = [{ kind: 'grid', path: 'platforms.0.takeRate', from: 0.05, to: 0.3, step: 0.05 }];
// Enough runs that starting the threads and warming their compilers weigh little, as in a real sweep.
const REPLICATIONS = 250;

// The same runs without the sweep around them (no pool, journal or outputs), as a thread of the
// pool executes them: what the sweep's overhead per run is measured against.
if (arg('child-bare', '') !== '') {
  const { executeRun } = await import('../dist/sim/experiment/worker.js');
  const plan = await planSweep({ scenario: SMALL, params: SWEEP_PARAMS, replications: REPLICATIONS });
  const task = { scenario: plan.raw, label: plan.label, timeseries: false, runs: plan.runs };
  const t0 = performance.now();
  for (const spec of plan.runs) executeRun(task, spec);
  process.stdout.write(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }));
  process.exit(0);
}

const childSweep = arg('child-sweep', '');
if (childSweep !== '') {
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

const rows = [];
console.log(`ecosim bench: Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, one thread`);
for (const n of only === 'all' || only === 'runs' ? sizes : []) {
  let best = Infinity;
  let bytes = 0;
  for (let rep = 0; rep < (n <= 100_000 ? repeat : 1); rep++) {
    const r = timeRunApart(n);
    best = Math.min(best, r.seconds);
    bytes = r.bytes;
  }
  const row = { customers: n, seconds: best, rate: (n * ticks) / best, bytes };
  rows.push(row);
  console.log(
    `baseline ${String(n).padStart(9)} customers x ${ticks} ticks: ${best.toFixed(2).padStart(7)} s  ` +
      `${(row.rate / 1e6).toFixed(2).padStart(6)} M customer-ticks/s  ${row.bytes.toFixed(1)} bytes of state per customer`,
  );
}
const target = { 100000: 7e6, 1000000: 4e6 };
for (const r of rows) {
  const t = target[r.customers];
  if (t) console.log(`  ${r.customers} customers: ${(r.rate / t).toFixed(2)} x the target of ${t / 1e6} M customer-ticks/s`);
}

// One large run split over threads: the same output, sooner.
if (only === 'all' || only === 'threads') {
  const n = 1_000_000;
  // The fastest of `repeat` runs each, alternating, so that a slow spell of the machine weighs on
  // both alike; the run of the table above counts as one of the single-thread ones.
  let one = rows.find((r) => r.customers === n)?.seconds ?? Infinity;
  let two = Infinity;
  for (let rep = 0; rep < repeat; rep++) {
    if (rep > 0 || one === Infinity) one = Math.min(one, timeRunApart(n, 1).seconds);
    two = Math.min(two, timeRunApart(n, 2).seconds);
  }
  console.log(`one run of ${n} customers x ${ticks} ticks: ${one.toFixed(1)} s on 1 thread, ${two.toFixed(1)} s on 2: speed-up ${(one / two).toFixed(2)} (target 1.6)`);
}

// Sweeps: many small runs over a worker pool.
if (only === 'all' || only === 'sweep') {
  const runs = 6 * REPLICATIONS;
  // Each sweep in a fresh process, as `ecosim sweep` runs: every thread starts with cold compilers,
  // the one worker of --workers 1 (this process's main thread) as much as the two of --workers 2.
  const sweepRate = (workers) => {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child-sweep', String(workers)], { encoding: 'utf8' });
    return runs / JSON.parse(out).seconds;
  };
  const bareRate = () => {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child-bare', '1'], { encoding: 'utf8' });
    return runs / JSON.parse(out).seconds;
  };
  // The fastest of three, alternating, as for single runs: the machine's noise only ever slows a run.
  let one = 0;
  let two = 0;
  let bare = 0;
  for (let rep = 0; rep < repeat; rep++) {
    bare = Math.max(bare, bareRate());
    one = Math.max(one, sweepRate(1));
    two = Math.max(two, sweepRate(2));
  }
  const bareRun = 1 / bare;
  console.log(
    `sweep of ${runs} runs (2 000 customers x 52 ticks, 6 points x ${REPLICATIONS} replications): ${one.toFixed(1)} runs/s with 1 worker, ${two.toFixed(1)} with 2: ` +
      `ratio ${(two / one).toFixed(2)} (target 1.8); overhead per run ${((1 / one - bareRun) * 1000).toFixed(1)} ms ` +
      `over a bare run of ${(bareRun * 1000).toFixed(1)} ms`,
  );
}

// The offline report of a 200-point sweep: every summary metric of every point, inlined and drawn.
if (only === 'all' || only === 'report') {
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
    console.log(`report of a 200-point sweep: ${(best / 1000).toFixed(2)} s to render (target under 2 s), ${(bytes / 1024).toFixed(0)} KB`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Customer segments and in-market experiments against the same run without them (bench/segments.mjs).
if (only === 'all' || only === 'segments') (await import('./segments.mjs')).benchSegments({ repeat, ticks });
