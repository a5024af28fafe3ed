import type { Policy } from '../sim/scenario/schema.js';
import { adoptionPhase, awarenessPhase, initCustomers, type UtilityTerms } from './customer.js';
import { recordNeeds, settleCustomers } from './matching.js';
import type { SearchArrays, SearchIndex } from './ranking.js';
import type { EcosystemState, NeedBuffers, Shard } from './state.js';

// The customer phases that run shard by shard (docs/model.md sections 1 and 3): on the main thread
// one shard after another, or on worker threads, each thread with its own shards. A shard reads
// its customers, the public signals of the tick and the search indexes, and writes only its own
// customers and tallies, so the result does not depend on which thread runs it.

export type ShardPhase = 'init' | 'awareness' | 'adoption' | 'record' | 'settle';

/** What the shard phases of a tick read beside the shards' own customers. */
export interface ShardContext {
  readonly terms: UtilityTerms;
  readonly search: readonly SearchIndex[];
}

export function runShardPhase(st: EcosystemState, shard: Shard, phase: ShardPhase, ctx: ShardContext): void {
  switch (phase) {
    case 'init':
      return initCustomers(st.customers, st.scenario, shard);
    case 'awareness':
      return awarenessPhase(st, shard);
    case 'adoption':
      return adoptionPhase(st, shard, ctx.terms);
    case 'record':
      return recordNeeds(st, shard, ctx.search);
    case 'settle':
      return settleCustomers(st, shard);
  }
}

/** What a worker thread needs to know of the tick that it cannot see in shared memory. */
export interface TickMessage {
  readonly phase: ShardPhase;
  readonly policies: readonly Policy[];
  readonly terms: { base: Float64Array; cross: Float64Array; money: Float64Array; open: Uint8Array };
  readonly members: number;
  readonly demandFactor: number;
  readonly search: readonly { size: number; uniform: boolean }[];
  readonly needs: NeedBuffers;
  /** Each shard's first need among all of the tick's (for record and settle). */
  readonly offsets: readonly number[];
}

export function tickMessage(st: EcosystemState, phase: ShardPhase, ctx: ShardContext): TickMessage {
  return {
    phase,
    policies: st.platforms.map((p) => p.policy),
    terms: { base: ctx.terms.base, cross: ctx.terms.cross, money: ctx.terms.money, open: ctx.terms.open },
    members: st.members,
    demandFactor: st.demandFactor,
    search: ctx.search.map((s) => ({ size: s.size, uniform: s.uniform })),
    needs: st.needs,
    offsets: st.shards.map((s) => s.offset),
  };
}

/**
 * Brings a worker's view of the state up to the tick described by `m`; before the search, its
 * private copies of the search indexes from the shared ones.
 */
export function applyTickMessage(st: EcosystemState, m: TickMessage, ctx: ShardContext, shared: readonly SearchArrays[]): void {
  m.policies.forEach((p, k) => Object.assign(st.platforms[k]!.policy, p));
  ctx.terms.base.set(m.terms.base);
  ctx.terms.cross.set(m.terms.cross);
  ctx.terms.money.set(m.terms.money);
  ctx.terms.open.set(m.terms.open);
  st.members = m.members;
  st.demandFactor = m.demandFactor;
  if (m.phase === 'record') m.search.forEach((s, k) => ctx.search[k]!.copyFrom(shared[k]!, s.size, s.uniform));
  Object.assign(st.needs, m.needs);
  m.offsets.forEach((o, s) => (st.shards[s]!.offset = o));
}
