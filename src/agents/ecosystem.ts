import type { Model, Phase } from '../sim/engine.js';
import { Memory } from '../sim/memory.js';
import { stream, type Rng } from '../sim/random.js';
import type { Scenario } from '../sim/scenario/schema.js';
import { shardRanges } from '../sim/shards.js';
import { createCustomers } from './customer.js';
import { houseSlots } from '../sim/scenario/houseSlots.js';
import { placeNeeds, recordStride, reserveShard, serveNeeds, settlePartners } from './matching.js';
import { metricRows } from './metricRows.js';
import { buildNetwork, placesApart, type Graph } from './network.js';
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
import { SearchIndex, type SearchArrays } from './ranking.js';
import { PlatformSignals } from './signals.js';
import { runShardPhase, type ShardContext, type ShardPhase } from './shardPhases.js';
import type { Customers, EcosystemState, Shard } from './state.js';
import { ShardTally, Tally } from './tally.js';
import { createExperimentRuns, endExperiments, partnersTreated, startExperiments, trackExperiments } from './experimentRun.js';
import { CustomerLedger, type LedgerArrays } from './ledger.js';
import { PricingGroups } from './pricingGroups.js';
import { segmentRows } from './segmentRows.js';
import { SegmentTable } from './segments.js';
import { measureTrueEffects, prepareForks } from './trueEffect.js';
import { WARM_TICKS } from './warmTicks.js';

// The ecosystem model: its state and the phases of one tick, in the order of docs/model.md section 3.

/** The parts of a state that worker threads share with the main thread (all in shared memory). */
export interface SharedParts {
  /** Any worker may take up any shard in a phase, so the customers are shared too. */
  readonly customers: Customers;
  readonly graph: Graph | null;
  /** The partners' pricing groups, which the main thread sets (section 10.2). */
  readonly partnerGroup: Uint8Array;
  readonly ledger: LedgerArrays | null;
  readonly shardNeeds: readonly { customer: Int32Array; flags: Int32Array; noise: Float32Array; partnerSide: Float64Array }[];
}

export function sharedParts(st: EcosystemState): SharedParts {
  return {
    customers: st.customers,
    graph: st.graph,
    partnerGroup: st.partners.group,
    ledger: st.ledger,
    shardNeeds: st.shards.map((sh) => ({ customer: sh.customer, flags: sh.flags, noise: sh.noise, partnerSide: sh.partnerSide })),
  };
}

function inMemory(g: Graph | null, memory: Memory): Graph | null {
  if (!g || !memory.shared) return g;
  const offsets = memory.i32(g.offsets.length);
  const neighbors = memory.i32(g.neighbors.length);
  offsets.set(g.offsets);
  neighbors.set(g.neighbors);
  return { n: g.n, offsets, neighbors };
}

/**
 * The state of a run before its first tick, customers not yet drawn (the shard phase `init` does
 * that). A worker thread passes the main thread's shared parts and gets its own customers beside them.
 */
export function createState(s: Scenario, replication: number, memory: Memory, shared?: SharedParts): EcosystemState {
  const key = (name: string, shard = 0) => stream({ seed: s.seed, replication, name, shard });
  const n = s.customers.count;
  const slots = houseSlots(s);
  const house = slots.reduce((a, h) => a + h, 0);
  const P = s.platforms.length;
  const segments = new SegmentTable(s);
  const cells = segments.count * P;
  // Fields listed, not spread from the range: every run's shards then share one hidden class.
  const shards: Shard[] = shardRanges(n).map((r) => ({
    index: r.index,
    start: r.start,
    end: r.end,
    rng: key('customers', r.index),
    customer: shared ? shared.shardNeeds[r.index]!.customer : new Int32Array(0),
    flags: shared ? shared.shardNeeds[r.index]!.flags : new Int32Array(0),
    noise: shared ? shared.shardNeeds[r.index]!.noise : new Float32Array(0),
    partnerSide: shared ? shared.shardNeeds[r.index]!.partnerSide : new Float64Array(0),
    count: 0,
    offset: 0,
    tally: new ShardTally(cells),
    unaware: r.end - r.start,
  }));
  if (!shared) {
    for (const sh of shards) {
      // Threads cannot grow arrays that others see: in shared memory a shard has room for every customer.
      const size = sh.end - sh.start;
      const expected = Math.min(size, Math.ceil(size * Math.min(1, s.customers.needRate * 1.5)) + 16);
      reserveShard(sh, memory.shared ? size : expected, memory);
    }
  }
  const partners = createPartners(s.partners.count, house, P, shared ? shared.partnerGroup : memory.u8((s.partners.count + house) * P));
  initPartners(partners, s, slots, key('partners-init'));
  let houseStart = s.partners.count;
  const groups = new PricingGroups(segments, s.experiments);
  const ledger = shared ? (shared.ledger ? new CustomerLedger(shared.ledger) : null) : CustomerLedger.create(s, memory);
  const state: EcosystemState = {
    scenario: s,
    memory,
    replication,
    customers: shared ? shared.customers : createCustomers(n, P, memory),
    partners,
    platforms: s.platforms.map((cfg, k) => {
      const start = houseStart;
      houseStart += slots[k]!;
      return createPlatform(cfg, k, start, slots[k]!);
    }),
    graph: shared ? shared.graph : inMemory(customerNetwork(s, n, segments.count, key), memory),
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
    recordStride: recordStride(s.customers.searchDepth),
    needs: { serve: new Int32Array(0), serveF: new Float32Array(0), outcome: new Int32Array(0), coupon: new Float32Array(0), place: new Int32Array(0), total: 0 },
    scratch: { scores: new Float64Array(s.customers.searchDepth), draws: new Int32Array(s.customers.searchDepth) },
    segments,
    groups,
    segmentTallies: Array.from({ length: cells }, () => new Tally()),
    segmentCustomers: new Int32Array(cells),
    experiments: [],
    ledger,
    forks: !shared && s.experiments.length > 0,
    onePlatform: P === 1 && !s.customers.multiHoming,
    segmentRows: [],
    outages: new Map(),
  };
  state.experiments.push(...createExperimentRuns(state));
  return state;
}

/**
 * Runs a shard phase over every shard, in two steps so that the caller can work in between: after
 * `finish`, each shard's tally and need count are current.
 */
export interface ShardRunner {
  /** Starts the phase (on this thread: runs it to the end). */
  start(st: EcosystemState, phase: ShardPhase, ctx: ShardContext): void;
  /**
   * Ends the phase started last (on threads: this thread takes shards too, then waits for the
   * workers). `each`, if given, runs on this thread for every shard in shard order, once the shard
   * is done with the phase; on threads, in between this thread's shards, so the workers take more.
   */
  finish(st: EcosystemState, each?: (shard: Shard) => void): void;
  /** Brings the shards' streams on this thread up to date between phases (on threads they travel in shared registers). */
  sync?(st: EcosystemState): void;
  close(): void;
}

/** Every shard on this thread, one after another. */
export const inProcess: ShardRunner = {
  start(st, phase, ctx) {
    for (const sh of st.shards) runShardPhase(st, sh, phase, ctx);
  },
  finish(st, each) {
    if (each) for (const sh of st.shards) each(sh);
  },
  close() {},
};

/**
 * Adds what each shard tallied in a phase to the platforms and the ecosystem, in shard order; a
 * shard tallies per (segment, platform), and `bySegment` those cells are kept too (section 10.1).
 */
export function mergeShards(st: EcosystemState, bySegment: boolean): void {
  const P = st.platforms.length;
  const S = st.segments.count;
  for (const sh of st.shards) {
    const t = sh.tally;
    for (let g = 0; g < S; g++) {
      for (const pl of st.platforms) {
        const cell = g * P + pl.index;
        pl.tally.add(t.platforms[cell]!);
        pl.customers += t.customers[cell]!;
        if (!bySegment) continue;
        st.segmentTallies[cell]!.add(t.platforms[cell]!);
        st.segmentCustomers[cell]! += t.customers[cell]!;
      }
    }
    st.tick.members += t.members;
    st.tick.satisfactionSum += t.satisfactionSum;
    st.tick.multiHomers += t.multiHomers;
    st.aware += t.aware;
    t.reset();
  }
}

export interface ModelOptions {
  readonly replication?: number;
  /** Makes the runner of the shard phases over shared state: this thread and workers (see threads.ts). */
  readonly runner?: (st: EcosystemState, search: readonly SearchArrays[]) => ShardRunner;
}

export interface EcosystemModel extends Model<EcosystemState> {
  /** Stops the worker threads, if any. */
  close(): void;
}

export function ecosystemModel(s: Scenario, options: ModelOptions = {}): EcosystemModel {
  const replication = options.replication ?? 0;
  const threaded = options.runner !== undefined;
  return modelOver(createState(s, replication, new Memory(threaded)), options.runner, true);
}

/** The customers' graph: with segments, its places dealt out at random (network.ts, placesApart). */
function customerNetwork(s: Scenario, n: number, segments: number, key: (name: string) => Rng): Graph | null {
  const graph = buildNetwork(s.network, n, key('network'));
  return graph !== null && segments > 1 ? placesApart(graph, key('network-places')) : graph;
}

/**
 * The phases over a state: a fresh one (`fresh`: its customers are drawn first), or a copy forked
 * from a run under way (section 10.2), which goes on from where the run stood, on this thread.
 */
function modelOver(state: EcosystemState, makeRunner: ModelOptions['runner'], fresh: boolean): EcosystemModel {
  const s = state.scenario;
  const P = s.platforms.length;
  const signals = new PlatformSignals(P, state.groups.customerGroups, state.groups.partnerGroups);
  const demandPerPartner = new Float64Array(P);
  // Pushed into a literal, not mapped: once this function is optimized, an inlined map makes a
  // holey array, of another hidden class than the run's, and the search loop, reading both the
  // run's and its copies', would go polymorphic (measured: the first copy deoptimized it).
  const search: SearchIndex[] = [];
  for (let k = 0; k < P; k++) search.push(new SearchIndex(state.partners.n, state.memory));
  const runner = makeRunner ? makeRunner(state, search.map((x) => x.arrays())) : inProcess;
  const ctx: ShardContext = { signals, search, tick: 0 };
  // A forked copy is read for its tests' outcomes alone: it keeps no segment rows, and metric rows
  // only for rules to read.
  const bySegment = fresh && s.customers.segments.length > 0;
  const rowsRead = fresh || state.rules.length > 0;
  // Which tests a copy adds up (its own, and those whose decision in its window reads them).
  const measured = fresh ? undefined : state.experiments.map((r) => r.measured);
  // `beside` is the partners' side of the phase: it reads nothing the shards write (the signals of
  // the tick are frozen, section 1), so on threads it runs while they do, and in the same order of
  // tallying on one thread as on several. `after` reads what a shard has written: it follows the
  // shards in order as they finish.
  const shardPhase = (st: EcosystemState, phase: ShardPhase, beside?: () => void, after?: (shard: Shard) => void) => {
    runner.start(st, phase, ctx);
    beside?.();
    runner.finish(st, after);
    mergeShards(st, bySegment);
  };
  if (fresh && state.forks) prepareForks(state);
  if (fresh) {
    try {
      shardPhase(state, 'init');
    } catch (e) {
      runner.close();
      throw e;
    }
    for (let i = 0; i < state.customers.n; i++) if (state.customers.member[i] !== 0) state.members++;
  }
  const phases: Phase<EcosystemState>[] = [
    {
      name: 'policy',
      run(st, tick) {
        // The true effect of a test starting now: two copies of the state as it stands (section 10.2).
        if (st.forks) {
          runner.sync?.(st);
          measureTrueEffects(st, tick, runCopy);
        }
        ctx.tick = tick;
        st.ledger?.recordFor(st.scenario, tick, measured);
        st.tick.members = 0;
        st.tick.satisfactionSum = 0;
        st.tick.multiHomers = 0;
        st.partners.income.fill(0);
        st.partners.sales.fill(0);
        for (const t of st.segmentTallies) t.reset();
        policyPhase(st, tick);
        startExperiments(st, tick);
        shockPhase(st, tick);
        signalPhase(st, demandPerPartner);
        signals.update(st.platforms, st.scenario, st.groups);
      },
    },
    {
      name: 'awareness',
      run(st) {
        shardPhase(st, 'awareness', () => partnerAwarenessPhase(st));
      },
    },
    {
      // Customers join and leave, partners enter and exit: both on the signals of the tick's start.
      // The search indexes, built from the partners alone, are ready before the customers are.
      name: 'adoption',
      run(st, tick) {
        shardPhase(st, 'adoption', () => {
          entryExitPhase(st, tick, demandPerPartner);
          promotionPhase(st, demandPerPartner);
          for (const pl of st.platforms) {
            // Per partner while a test treats some, and in the warm-up ticks (warmTicks.ts), where
            // every partner's terms are the platform's.
            const perPartner = partnersTreated(st, pl.index) || (tick < WARM_TICKS && st.groups.partnerGroups > 1);
            if (perPartner) search[pl.index]!.build(st.partners, pl, P, tick, signals.priceFactor, signals.promotionBoost);
            else search[pl.index]!.build(st.partners, pl, P, tick);
          }
        });
      },
    },
    {
      name: 'matching',
      run(st, tick) {
        placeNeeds(st);
        shardPhase(st, 'record');
        // Serving draws nothing and the settling draws serve nothing: one thread serves while the others draw.
        shardPhase(st, 'draw', () => serveNeeds(st, tick, signals));
        shardPhase(st, 'settle', undefined, (shard) => settlePartners(st, shard, tick));
      },
    },
    { name: 'governance', run: (st) => governancePhase(st) },
    { name: 'accounting', run: (st, tick) => accountingPhase(st, tick) },
    {
      name: 'experiments',
      run(st, tick) {
        if (st.experiments.length === 0) return;
        trackExperiments(st);
        endExperiments(st, tick);
      },
    },
  ];
  const model: EcosystemModel = {
    state,
    ticks: s.ticks,
    phases,
    close: () => runner.close(),
    collect(st, tick) {
      st.members = st.tick.members;
      if (!rowsRead) return [];
      const rows = metricRows(st, tick);
      st.lastRows = rows;
      if (bySegment) st.segmentRows.push(...segmentRows(st, tick));
      return rows;
    },
  };
  return model;
}

/** Runs a forked copy through `ticks` ticks from `from`, on this thread. */
function runCopy(copy: EcosystemState, from: number, ticks: number): void {
  const model = modelOver(copy, undefined, false);
  for (let t = from; t < from + ticks; t++) {
    for (const phase of model.phases) phase.run(copy, t);
    model.collect(copy, t);
  }
}
