// `npm run bench`: the speed of the simulator on this machine, as figures anyone can rerun.
//   customer-ticks per second of the baseline (mean field, partners one twentieth of the
//   customers, 260 ticks) at 10 000, 100 000 and 1 000 000 customers, and bytes of state per customer.
// Options: --sizes 10000,100000 to choose the populations; --ticks N; --repeat N (default 3: the
// fastest of N runs is reported for populations up to 100 000, as the least disturbed by the machine).
import os from 'node:os';
import { footprint } from '../src/agents/footprint.js';
import { scenarioFromObject } from '../src/sim/scenario/load.js';
import { Simulation } from '../src/simulate.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const sizes = arg('sizes', '10000,100000,1000000').split(',').map(Number);
const ticks = Number(arg('ticks', '260'));
const repeat = Number(arg('repeat', '3'));

function baseline(customers: number) {
  return scenarioFromObject({
    name: `bench-${customers}`,
    ticks,
    customers: { count: customers },
    partners: { count: Math.round(customers / 20) },
    network: { type: 'meanfield' },
  });
}

interface Row { customers: number; seconds: number; rate: number; bytes: number }
const rows: Row[] = [];
console.log(`ecosim bench: Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'}, one thread`);
// Warm the JIT on a small run, as a long run would be warm after its first ticks.
new Simulation(baseline(5000)).engine.run();
for (const n of sizes) {
  let best = Infinity;
  let bytes = 0;
  for (let rep = 0; rep < (n <= 100_000 ? repeat : 1); rep++) {
    const sim = new Simulation(baseline(n));
    const t0 = performance.now();
    sim.engine.run();
    best = Math.min(best, (performance.now() - t0) / 1000);
    bytes = footprint(sim.engine.state).customers / n;
  }
  const row = { customers: n, seconds: best, rate: (n * ticks) / best, bytes };
  rows.push(row);
  console.log(
    `baseline ${String(n).padStart(9)} customers x ${ticks} ticks: ${best.toFixed(2).padStart(7)} s  ` +
      `${(row.rate / 1e6).toFixed(2).padStart(6)} M customer-ticks/s  ${row.bytes.toFixed(1)} bytes of state per customer`,
  );
}
const target: Record<number, number> = { 100000: 7e6, 1000000: 4e6 };
for (const r of rows) {
  const t = target[r.customers];
  if (t) console.log(`  ${r.customers} customers: ${(r.rate / t).toFixed(2)} x the target of ${t / 1e6} M customer-ticks/s`);
}
