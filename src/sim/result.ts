import type { ExperimentResult } from './experimentResult.js';
import type { MetricName, MetricRow, TotalName } from './metrics.js';
import type { SegmentRow } from './segmentMetrics.js';
import type { Scenario } from './scenario/schema.js';

// What one run produces (docs/model.md section 7): the per-tick rows and the run summary.

export interface PlatformSummary {
  /** Platform name, or "all" for the whole ecosystem. */
  readonly name: string;
  /** Every metric at the last tick. */
  readonly final: Record<MetricName, number>;
  /** Flow metrics summed over the run (from the warm-up's end), and the match and leakage rates of those ticks. */
  readonly total: Record<TotalName, number>;
  /** Every metric averaged over the ticks since launch (and since the warm-up's end). */
  readonly mean: Record<MetricName, number>;
  readonly peakCustomers: number;
  readonly peakCustomersTick: number;
  /** First tick with customer share at or above tipShare, or null. */
  readonly tippedAt: number | null;
  /** First tick with cash below -creditLine, after which the platform stops; null if never. */
  readonly failedAt: number | null;
}

export interface RunSummary {
  readonly name: string;
  readonly seed: number;
  readonly replication: number;
  readonly ticks: number;
  /** With a warm-up window: totals and means count only ticks >= from (absent: every tick). */
  readonly from?: number;
  readonly platforms: readonly PlatformSummary[];
  readonly all: PlatformSummary;
  /** With customer segments (section 10.1): per platform and segment, the run's totals and final values. */
  readonly segments?: readonly SegmentSummary[];
  /** With in-market experiments (section 10.2): each test's estimate, true effect and decision. */
  readonly experiments?: readonly ExperimentResult[];
}

export interface SegmentSummary {
  readonly platform: string;
  readonly segment: string;
  /** Member customers at the last tick. */
  readonly customers: number;
  readonly joins: number;
  readonly churned: number;
  readonly needs: number;
  readonly matches: number;
  readonly declined: number;
  readonly unmet: number;
  readonly leaked: number;
  readonly gmv: number;
  readonly revenue: number;
  readonly customerValue: number;
  /** Mean satisfaction of the segment's members at the last tick. */
  readonly satisfaction: number;
}

export interface SimulationResult {
  readonly scenario: Scenario;
  /** One row per tick and platform, then one row per tick for "all" (when there are several platforms, and always for "all"). */
  readonly metrics: readonly MetricRow[];
  readonly summary: RunSummary;
  /** One row per tick, platform and segment, with customer segments only (segments.csv). */
  readonly segments?: readonly SegmentRow[];
}
