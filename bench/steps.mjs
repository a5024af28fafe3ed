// `npm run bench -- --only steps`: the steps of matching taken apart (src/agents/matching.ts), on
// the baseline with `--sizes` customers (default 100 000 and 1 000 000). A run goes to the middle of
// its ticks; then each step runs again and again, alone, on that tick's needs: recording the needs
// (leak decision, search, candidate weights), the draws only settling reads, serving and settling.
// Each in a fresh process, the fastest of `repeat` rounds, in nanoseconds per need. Rerunning a
// step on the same needs draws on, so the needs differ a little from round to round, but not their
// number or their kind.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(import.meta.url);

/** In a child process: the steps of `customers` customers, as JSON. */
async function childSteps(customers, ticks, repeat) {
  const dist = (p) => import(new URL(`../dist/${p}`, import.meta.url).href);
  const [{ Simulation }, { scenarioFromObject }, m, { SearchIndex }, { PlatformSignals }] = await Promise.all([
    dist('simulate.js'),
    dist('sim/scenario/load.js'),
    dist('agents/matching.js'),
    dist('agents/ranking.js'),
    dist('agents/signals.js'),
  ]);
  const scenario = scenarioFromObject({ name: 'bench-steps', ticks, customers: { count: customers }, partners: { count: customers / 20 }, network: { type: 'meanfield' } });
  const sim = new Simulation(scenario, 0, 1);
  try {
    const tick = Math.floor(ticks / 2);
    for (let t = 0; t < tick; t++) sim.engine.step();
    const st = sim.engine.state;
    const sig = new PlatformSignals(1, st.groups.customerGroups, st.groups.partnerGroups);
    sig.update(st.platforms, st.scenario, st.groups);
    const search = new SearchIndex(st.partners.n);
    search.build(st.partners, st.platforms[0], 1, tick);
    // The needs drawn in the adoption phase of the tick just run: placed, recorded, drawn for, served once.
    m.placeNeeds(st);
    for (const sh of st.shards) m.recordNeeds(st, sh, [search], sig);
    for (const sh of st.shards) m.drawSettling(st, sh);
    const spare = st.partners.spare.slice();
    m.serveNeeds(st, tick, sig);
    const needs = st.needs.total;
    // Enough repetitions that each round lasts a few hundred milliseconds.
    const reps = Math.max(5, Math.round(5e6 / needs));
    const steps = {
      record: () => { for (const sh of st.shards) m.recordNeeds(st, sh, [search], sig); },
      draw: () => { for (const sh of st.shards) m.drawSettling(st, sh); },
      serve: () => { st.partners.spare.set(spare); m.serveNeeds(st, tick, sig); },
      settle: () => { for (const sh of st.shards) m.settleCustomers(st, sh, sig); },
    };
    const best = Object.fromEntries(Object.keys(steps).map((k) => [k, Infinity]));
    for (let round = 0; round < repeat + 1; round++) {
      for (const [k, run] of Object.entries(steps)) {
        const t0 = performance.now();
        for (let r = 0; r < reps; r++) run();
        // The first round warms the compiler and is not counted.
        if (round > 0) best[k] = Math.min(best[k], ((performance.now() - t0) * 1e6) / (reps * needs));
      }
    }
    return { customers, tick, needs, nsPerNeed: best };
  } finally {
    sim.close();
  }
}

const i = process.argv.indexOf('--child');
if (i > 0) {
  const arg = (name) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]);
  process.stdout.write(JSON.stringify(await childSteps(Number(process.argv[i + 1]), arg('ticks'), arg('repeat'))));
  process.exit(0);
}

export function benchSteps({ sizes, ticks, repeat, report }) {
  const group = (n) => n.toLocaleString('en-US').replace(/,/g, ' ');
  report.steps = [];
  for (const n of sizes.filter((x) => x >= 100_000).length > 0 ? sizes.filter((x) => x >= 100_000) : sizes) {
    const r = JSON.parse(execFileSync(process.execPath, [script, '--child', String(n), '--ticks', String(ticks), '--repeat', String(repeat)], { encoding: 'utf8' }));
    report.steps.push(r);
    const s = r.nsPerNeed;
    console.log(
      `steps of matching, ${group(n)} customers, the ${group(r.needs)} needs of tick ${r.tick}, ns per need: ` +
        `recording ${s.record.toFixed(0)}, settling draws ${s.draw.toFixed(0)}, serving ${s.serve.toFixed(0)}, settling ${s.settle.toFixed(0)}`,
    );
  }
}
