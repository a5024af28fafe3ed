// `npm run bench -- --only segments`: what customer segments and in-market experiments cost. A
// 100 000-customer run (mean field, 5 000 partners) with three segments priced apart and two
// experiments at once (a customer coupon test and a partner take-rate test, each with its two
// forked copies for the true effect) against the same run without them: the time overhead (target
// under 30%, copies included) and the bytes of state per customer with and without them. Each run
// in a fresh process, the two in turn, the fastest of `repeat` of each, as for the other parts of
// the bench.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { footprint, scenarioFromObject, Simulation } from '../dist/index.js';

const CUSTOMERS = 100_000;

function scenario(withFeatures, ticks) {
  const start = Math.floor(ticks / 2);
  return scenarioFromObject({
    name: withFeatures ? 'bench-segments' : 'bench-plain',
    ticks,
    customers: {
      count: CUSTOMERS,
      ...(withFeatures
        ? { segments: [{ name: 'consumers', share: 0.6 }, { name: 'smb', share: 0.3, riskAversion: 0.3 }, { name: 'enterprise', share: 0.1, valueMean: 5 }] }
        : {}),
    },
    partners: { count: CUSTOMERS / 20 },
    network: { type: 'meanfield' },
    platforms: [{ subsidyBudget: null, ...(withFeatures ? { segmentPolicies: { enterprise: { subscription: 0.5 } } } : {}) }],
    experiments: withFeatures
      ? [
          { name: 'coupon', start, duration: 13, set: { couponValue: 0.2 }, metric: 'matches' },
          { name: 'take', unit: 'partners', start: start + 4, duration: 13, set: { takeRate: 0.1 }, metric: 'matches' },
        ]
      : [],
  });
}

/** In a child process: one timed run, printed as JSON. */
export function childRun(withFeatures, ticks) {
  const sim = new Simulation(scenario(withFeatures, ticks));
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
  const once = (withFeatures) =>
    JSON.parse(execFileSync(process.execPath, [script, '--child', withFeatures ? 'with' : 'without', '--ticks', String(ticks)], { encoding: 'utf8' }));
  // The two in turn, so that a slow spell of the machine weighs on both, and the fastest of each.
  let plain = { seconds: Infinity, cpuSeconds: Infinity, bytes: 0 };
  let featured = { seconds: Infinity, cpuSeconds: Infinity, bytes: 0 };
  let plainCpu = Infinity;
  let featuredCpu = Infinity;
  for (let r = 0; r < repeat; r++) {
    const p = once(false);
    if (p.seconds < plain.seconds) plain = p;
    plainCpu = Math.min(plainCpu, p.cpuSeconds);
    const f = once(true);
    if (f.seconds < featured.seconds) featured = f;
    featuredCpu = Math.min(featuredCpu, f.cpuSeconds);
  }
  const overhead = featured.seconds / plain.seconds - 1;
  const cpuOverhead = featuredCpu / plainCpu - 1;
  console.log(
    `segments and experiments, ${CUSTOMERS.toLocaleString('en-US')} customers, ${ticks} ticks: ` +
      `${featured.seconds.toFixed(2)} s with three segments and two experiments (four forked copies of 13 ticks), ` +
      `${plain.seconds.toFixed(2)} s without: overhead ${(100 * overhead).toFixed(0)}% (target under 30%; ${(100 * cpuOverhead).toFixed(0)}% in CPU time); ` +
      `${featured.bytes.toFixed(0)} bytes per customer with them, ${plain.bytes.toFixed(0)} without`,
  );
}

const i = process.argv.indexOf('--child');
if (i > 0) {
  const t = process.argv.indexOf('--ticks');
  process.stdout.write(JSON.stringify(childRun(process.argv[i + 1] === 'with', Number(process.argv[t + 1]))));
}
