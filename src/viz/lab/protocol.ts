import type { MetricRow } from '../../sim/metrics.js';
import type { PolicyPatch } from '../../sim/scenario/schema.js';
import type { Intervention } from './run.js';

// The messages between the lab's page and its worker. The page never waits on the simulation: it
// sends commands, and the worker posts what each tick produced; the page draws at its own pace.

/** Ticks per second, or "max": as fast as the engine goes. */
export type Speed = number | 'max';

export type ToWorker =
  /** `run` numbers the run: what the worker posts about it carries the number (see FromWorker). */
  | { readonly type: 'load'; readonly run: number; readonly raw: Record<string, unknown>; readonly label: string; readonly planned?: readonly Intervention[] }
  | { readonly type: 'play'; readonly speed: Speed }
  | { readonly type: 'speed'; readonly speed: Speed }
  | { readonly type: 'pause' }
  | { readonly type: 'step' }
  | { readonly type: 'set'; readonly platform: number; readonly set: PolicyPatch };

export interface PlatformInfo {
  readonly name: string;
  readonly policy: Readonly<Record<string, unknown>>;
  readonly houseRoom: number;
}

/**
 * What the worker posts, each with the number of the run it is about: rows posted just before a
 * reset reach the page after it, and the page drops them rather than add them to the new run.
 */
export type FromWorker = { readonly run: number } & (
  | { readonly type: 'ready'; readonly ticks: number; readonly customers: number; readonly partners: number; readonly platforms: readonly PlatformInfo[] }
  | { readonly type: 'rows'; readonly rows: readonly MetricRow[]; readonly applied: readonly Intervention[]; readonly tick: number; readonly ticksPerSecond: number }
  | { readonly type: 'applied'; readonly intervention: Intervention }
  | { readonly type: 'state'; readonly playing: boolean; readonly tick: number; readonly done: boolean }
  | { readonly type: 'error'; readonly message: string }
);
