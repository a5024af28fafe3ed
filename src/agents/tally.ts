// What a platform accumulates during one tick (docs/model.md section 7), reset at the start of
// each tick. Plain numeric fields keep the hot loops monomorphic.

export class Tally {
  joins = 0;
  churned = 0;
  partnerEntries = 0;
  partnerExits = 0;
  multiHomers = 0;
  needs = 0;
  matches = 0;
  unmet = 0;
  leaked = 0;
  gmv = 0;
  commission = 0;
  fees = 0;
  subscriptions = 0;
  listingFees = 0;
  houseSales = 0;
  partnerSubsidies = 0;
  coupons = 0;
  screening = 0;
  enforcement = 0;
  trustServices = 0;
  houseCosts = 0;
  memberCosts = 0;
  fixedCost = 0;
  /** Partner margins on and off the platform, less fixed costs and fees paid. */
  partnerNet = 0;
  /** Customer surplus less subscriptions and membership costs. */
  customerNet = 0;
  satisfactionSum = 0;
  clvSum = 0;
  clvCount = 0;
  /** Value created and real resources used, tallied apart from the transfers: the welfare check. */
  grossValue = 0;
  realCost = 0;

  reset(): void {
    for (const k of Object.keys(this) as (keyof Tally)[]) {
      if (typeof this[k] === 'number') (this as unknown as Record<string, number>)[k] = 0;
    }
  }

  /** Adds another tally field by field. */
  add(other: Tally): void {
    const into = this as unknown as Record<string, number>;
    const from = other as unknown as Record<string, number>;
    for (const k of Object.keys(from)) into[k] = into[k]! + from[k]!;
  }
}

/**
 * What one shard of customers adds up in a phase. Shards keep their own tallies, merged in shard
 * order after the phase, so that sums of money come out the same on any number of threads.
 */
export class ShardTally {
  readonly platforms: Tally[];
  /** Change in each platform's member count. */
  readonly customers: Int32Array;
  members = 0;
  satisfactionSum = 0;
  multiHomers = 0;
  aware = 0;

  constructor(platforms: number) {
    this.platforms = Array.from({ length: platforms }, () => new Tally());
    this.customers = new Int32Array(platforms);
  }

  reset(): void {
    for (const t of this.platforms) t.reset();
    this.customers.fill(0);
    this.members = 0;
    this.satisfactionSum = 0;
    this.multiHomers = 0;
    this.aware = 0;
  }
}
