import type { Model, Phase } from '../sim/engine.js';
import { stream } from '../sim/random.js';
import type { Scenario } from '../sim/scenario/schema.js';
import { shardRanges } from '../sim/shards.js';
import { adoptionPhase, awarenessPhase, createCustomers, initCustomers, UtilityTerms } from './customer.js';
import { drawNeeds, placeNeeds, recordNeeds, recordStride, reserveShard, serveNeeds, settleCustomers, settlePartners } from './matching.js';
import { metricRows } from './metricRows.js';
import { buildNetwork } from './network.js';
import {
  accountingPhase,
  compileRules,
  createPlatform,
  governancePhase,
  policyPhase,
  shockPhase,
  signalPhase,
} from './orchestrator.js';
import { createPartners, entryExitPhase, initPartners, partnerAwarenessPhase, promotionPhase } from './partner.js';
import { SearchIndex } from './ranking.js';
import type { EcosystemState, Shard } from './state.js';
import { ShardTally } from './tally.js';

// The ecosystem model: its state and the phases of one tick, in the order of docs/model.md section 3.

export function createState(s: Scenario, replication = 0): EcosystemState {
  const key = (name: string, shard = 0) => stream({ seed: s.seed, replication, name, shard });
  const n = s.customers.count;
  const house = s.platforms.reduce((a, p) => a + p.houseSupply, 0);
  const P = s.platforms.length;
  const stride = recordStride(s.customers.searchDepth);
  const shards: Shard[] = shardRanges(n).map((r) => ({
    ...r,
    rng: key('customers', r.index),
    customer: new Int32Array(0),
    flags: new Int32Array(0),
    noise: new Float32Array(0),
    count: 0,
    offset: 0,
    tally: new ShardTally(P),
  }));
  // Room for the needs expected in a tick, with slack; the buffers grow if a tick needs more.
  for (const sh of shards) {
    const size = sh.end - sh.start;
    reserveShard(sh, Math.min(size, Math.ceil(size * Math.min(1, s.customers.needRate * 1.5)) + 16));
  }
  const customers = createCustomers(n);
  const partners = createPartners(s.partners.count, house, P);
  const st: EcosystemState = {
    scenario: s,
    replication,
    customers,
    partners,
    platforms: s.platforms.map(createPlatform),
    graph: buildNetwork(s.network, n, key('network')),
    shards,
    partnerRng: key('partners'),
    platformRng: key('platforms'),
    orderRng: key('order'),
    rules: compileRules(s),
    lastRows: [],
    demandFactor: 1,
    members: 0,
    aware: 0,
    tick: { members: 0, satisfactionSum: 0, multiHomers: 0 },
    recordStride: stride,
    needs: { serve: new Int32Array(0), serveF: new Float32Array(0), outcome: new Int32Array(0), coupon: new Float32Array(0), place: new Int32Array(0), total: 0 },
    scratch: { picked: new Int32Array(s.customers.searchDepth), scores: new Float64Array(s.customers.searchDepth) },
  };
  for (const sh of shards) initCustomers(customers, s, sh);
  initPartners(partners, s, key('partners-init'));
  for (let i = 0; i < n; i++) {
    if (customers.member[i] !== 0) st.members++;
    if (customers.aware[i] !== 0) st.aware++;
  }
  return st;
}

/** Adds what each shard tallied in a phase to the platforms and the ecosystem, in shard order. */
export function mergeShards(st: EcosystemState): void {
  for (const sh of st.shards) {
    const t = sh.tally;
    for (const pl of st.platforms) {
      pl.tally.add(t.platforms[pl.index]!);
      pl.customers += t.customers[pl.index]!;
    }
    st.tick.members += t.members;
    st.tick.satisfactionSum += t.satisfactionSum;
    st.tick.multiHomers += t.multiHomers;
    st.aware += t.aware;
    t.reset();
  }
}

export function ecosystemModel(s: Scenario, replication = 0): Model<EcosystemState> {
  const state = createState(s, replication);
  const P = s.platforms.length;
  const terms = new UtilityTerms(P);
  const demandPerPartner = new Float64Array(P);
  const search = s.platforms.map(() => new SearchIndex(state.partners.n));
  const outages = new Map<number, Int32Array>();
  const phases: Phase<EcosystemState>[] = [
    {
      name: 'policy',
      run(st, tick) {
        st.tick.members = 0;
        st.tick.satisfactionSum = 0;
        st.tick.multiHomers = 0;
        st.partners.income.fill(0);
        st.partners.sales.fill(0);
        policyPhase(st, tick);
        shockPhase(st, tick, outages);
        signalPhase(st, demandPerPartner);
        terms.update(st.platforms, st.scenario.effects);
      },
    },
    {
      name: 'awareness',
      run(st) {
        for (const sh of st.shards) awarenessPhase(st, sh);
        mergeShards(st);
        partnerAwarenessPhase(st);
      },
    },
    {
      name: 'adoption',
      run(st) {
        for (const sh of st.shards) adoptionPhase(st, sh, terms);
        mergeShards(st);
      },
    },
    {
      name: 'partners',
      run(st, tick) {
        entryExitPhase(st, tick, demandPerPartner);
        promotionPhase(st, demandPerPartner);
      },
    },
    {
      name: 'matching',
      run(st, tick) {
        for (const pl of st.platforms) search[pl.index]!.build(st.partners, pl, P, tick);
        for (const sh of st.shards) drawNeeds(st, sh);
        placeNeeds(st);
        for (const sh of st.shards) recordNeeds(st, sh, search);
        serveNeeds(st, tick);
        for (const sh of st.shards) settleCustomers(st, sh);
        mergeShards(st);
        settlePartners(st, tick);
      },
    },
    { name: 'governance', run: (st) => governancePhase(st) },
    { name: 'accounting', run: (st, tick) => accountingPhase(st, tick) },
  ];
  return {
    state,
    ticks: s.ticks,
    phases,
    collect(st, tick) {
      const rows = metricRows(st, tick);
      st.lastRows = rows;
      st.members = st.tick.members;
      return rows;
    },
  };
}
