import type { Policy } from '../sim/scenario/schema.js';
import { awarenessPhase, initCustomers } from './customer.js';
import { drawSettling, recordNeeds, settleCustomers } from './matching.js';
import { adoptionPhase } from './membership.js';
import type { SearchArrays, SearchIndex } from './ranking.js';
import type { PlatformSignalArrays, PlatformSignals } from './signals.js';
import type { EcosystemState, NeedBuffers, Shard } from './state.js';

// The customer phases that run shard by shard (docs/model.md sections 1 and 3): on the main thread
// one shard after another, or on several threads, each taking the next shard as it comes free. A
// shard reads its customers, the public signals of the tick and the search indexes, and writes
// only its own customers and tallies, so the result does not depend on which thread runs it.

export type ShardPhase = 'init' | 'awareness' | 'adoption' | 'record' | 'draw' | 'settle';

/** What the shard phases of a tick read beside the shards' own customers. */
export interface ShardContext {
  readonly signals: PlatformSignals;
  readonly search: readonly SearchIndex[];
  /** The tick under way. */
  tick: number;
}

export function runShardPhase(st: EcosystemState, shard: Shard, phase: ShardPhase, ctx: ShardContext): void {
  switch (phase) {
    case 'init':
      return initCustomers(st, shard);
    case 'awareness':
      return awarenessPhase(st, shard);
    case 'adoption':
      return adoptionPhase(st, shard, ctx.signals, ctx.tick);
    case 'record':
      return recordNeeds(st, shard, ctx.search, ctx.signals);
    case 'draw':
      return drawSettling(st, shard);
    case 'settle':
      return settleCustomers(st, shard, ctx.signals);
  }
}

/** The signals of a tick: frozen at its start (docs/model.md section 1), so sent once a tick. */
export interface TickSignals {
  readonly policies: readonly Policy[];
  readonly signals: PlatformSignalArrays;
  readonly members: number;
  readonly demandFactor: number;
  readonly tick: number;
}

/**
 * What a worker thread needs to know for a phase that it cannot see in shared memory: only what
 * has changed since the last phase, as a message costs the main thread while the workers wait.
 */
export interface TickMessage {
  readonly phase: ShardPhase;
  /** With the first phase of each tick (and with `init`). */
  readonly signals?: TickSignals;
  /** With `record`: each platform's search size, and each shard's first need of the tick. */
  readonly search?: readonly { size: number }[];
  readonly offsets?: Int32Array;
  /** With `record`, when the tick's need buffers have been reallocated. */
  readonly needs?: NeedBuffers;
}

/** The message for `phase`; `sentNeeds` is the serving buffer the workers hold already. */
export function tickMessage(st: EcosystemState, phase: ShardPhase, ctx: ShardContext, sentNeeds: Int32Array | null): TickMessage {
  if (phase === 'init' || phase === 'awareness') {
    return { phase, signals: { policies: st.platforms.map((p) => p.policy), signals: ctx.signals.arrays(), members: st.members, demandFactor: st.demandFactor, tick: ctx.tick } };
  }
  if (phase !== 'record') return { phase };
  return {
    phase,
    search: ctx.search.map((s) => ({ size: s.size })),
    offsets: Int32Array.from(st.shards, (s) => s.offset),
    ...(st.needs.serve === sentNeeds ? {} : { needs: st.needs }),
  };
}

/**
 * Brings a worker's view of the state up to the phase described by `m`; before the search, its
 * private copies of the search indexes from the shared ones.
 */
export function applyTickMessage(st: EcosystemState, m: TickMessage, ctx: ShardContext, shared: readonly SearchArrays[]): void {
  const sig = m.signals;
  if (sig) {
    sig.policies.forEach((p, k) => Object.assign(st.platforms[k]!.policy, p));
    ctx.signals.copyFrom(sig.signals);
    ctx.tick = sig.tick;
    st.ledger?.recordFor(st.scenario, sig.tick);
    st.members = sig.members;
    st.demandFactor = sig.demandFactor;
  }
  m.search?.forEach((s, k) => ctx.search[k]!.copyFrom(shared[k]!, s.size));
  if (m.needs) Object.assign(st.needs, m.needs);
  m.offsets?.forEach((o, s) => (st.shards[s]!.offset = o));
}
