// `npm run bench -- --only segments`: what customer segments and in-market experiments cost. A
// 100 000-customer run (mean field, 5 000 partners) with three segments priced apart and two
// experiments at once (a customer coupon test and a partner take-rate test, each with its two
// forked copies for the true effect) against the same run without them: the time overhead (target
// under 30%, copies included) and the bytes of state per customer with and without them; and, to
// say where the overhead goes, the run with the segments alone. Each run in a fresh process, the
// three in turn, the fastest of at least five of each (the overhead is a ratio of two runs, and a
// slow spell of this shared machine in one of three moves it by several points).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { footprint, scenarioFromObject, Simulation } from '../dist/index.js';

const CUSTOMERS = 100_000;
/** Each test's window: a quarter of weekly ticks. */
const DURATION = 13;
const MODES = ['plain', 'segments', 'featured'];

/** The run: 'plain' (no segments, no tests), 'segments' (the segments alone) or 'featured' (both). */
function scenario(mode, ticks) {
  const start = Math.floor(ticks / 2);
  const segmented = mode !== 'plain';
  return scenarioFromObject({
    name: `bench-${mode}`,
    ticks,
    customers: {
      count: CUSTOMERS,
      ...(segmented
        ? { segments: [{ name: 'consumers', share: 0.6 }, { name: 'smb', share: 0.3, riskAversion: 0.3 }, { name: 'enterprise', share: 0.1, valueMean: 5 }] }
        : {}),
    },
    partners: { count: CUSTOMERS / 20 },
    network: { type: 'meanfield' },
    platforms: [{ subsidyBudget: null, ...(segmented ? { segmentPolicies: { enterprise: { subscription: 0.5 } } } : {}) }],
    experiments:
      mode === 'featured'
        ? [
            { name: 'coupon', start, duration: DURATION, set: { couponValue: 0.2 }, metric: 'matches' },
            { name: 'take', unit: 'partners', start: start + 4, duration: DURATION, set: { takeRate: 0.1 }, metric: 'matches' },
          ]
        : [],
  });
}

/** In a child process: one timed run, printed as JSON. */
export function childRun(mode, ticks) {
  const sim = new Simulation(scenario(mode, ticks));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  sim.engine.run();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const f = footprint(sim.engine.state);
  // CPU time as well: on a loaded machine it varies less than the wall clock (it includes the
  // compiler's and the collector's threads).
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytes: (f.customers + f.experiments) / CUSTOMERS };
}

const script = fileURLToPath(import.meta.url);

export function benchSegments({ repeat, ticks }) {
  const once = (mode) => JSON.parse(execFileSync(process.execPath, [script, '--child', mode, '--ticks', String(ticks)], { encoding: 'utf8' }));
  // In turn, so that a slow spell of the machine weighs on all three, and the fastest of each, in
  // wall-clock and in CPU time apart.
  const best = Object.fromEntries(MODES.map((m) => [m, { seconds: Infinity, cpuSeconds: Infinity, bytes: 0 }]));
  for (let r = 0; r < Math.max(repeat, 5); r++) {
    for (const mode of MODES) {
      const run = once(mode);
      const b = best[mode];
      if (run.seconds < b.seconds) Object.assign(b, { seconds: run.seconds, bytes: run.bytes });
      b.cpuSeconds = Math.min(b.cpuSeconds, run.cpuSeconds);
    }
  }
  const { plain, segments, featured } = best;
  const pct = (x) => `${(100 * x).toFixed(0)}%`;
  const copies = 2 * 2 * DURATION;
  console.log(
    `segments and experiments, ${CUSTOMERS.toLocaleString('en-US')} customers, ${ticks} ticks: ` +
      `${featured.seconds.toFixed(2)} s with three segments and two experiments (four forked copies of ${DURATION} ticks), ` +
      `${plain.seconds.toFixed(2)} s without: overhead ${pct(featured.seconds / plain.seconds - 1)} (target under 30%; ${pct(featured.cpuSeconds / plain.cpuSeconds - 1)} in CPU time); ` +
      `the segments alone ${segments.seconds.toFixed(2)} s (${pct(segments.seconds / plain.seconds - 1)}), the tests and their copies the rest ` +
      `(${pct((featured.seconds - segments.seconds) / plain.seconds)} of the run without them; their ${copies} ticks of copies are ${pct(copies / ticks)} of its ticks); ` +
      `${featured.bytes.toFixed(0)} bytes per customer with them, ${plain.bytes.toFixed(0)} without`,
  );
}

const i = process.argv.indexOf('--child');
if (i > 0) {
  const t = process.argv.indexOf('--ticks');
  process.stdout.write(JSON.stringify(childRun(process.argv[i + 1], Number(process.argv[t + 1]))));
}
