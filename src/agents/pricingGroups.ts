import type { ExperimentConfig, Policy, SegmentPolicies, SegmentPolicy } from '../sim/scenario/schema.js';
import type { SegmentTable } from './segments.js';

// Who pays what (docs/model.md section 10): customers priced alike form a group, numbered in a
// byte: segment + segments * (bit e set for each customer experiment e that treats the customer).
// Partners likewise, per platform: bit e for each partner experiment that treats the partner.
// A group's customer-facing policy is the platform's, overridden by its segment's policy, then by
// the set of each experiment treating it; a partner group's, the platform's, overridden by the
// sets of its experiments. Group 0 of each is the platform's own policy (segment 0, untreated).

export interface CustomerTerms {
  customerFee: number;
  subscription: number;
  couponValue: number;
}

export interface PartnerTerms {
  takeRate: number;
  listingFee: number;
  partnerSubsidy: number;
  promotionBoost: number;
}

/** What pricing needs of a platform (its state has more). */
export interface PricedPlatform {
  readonly index: number;
  readonly policy: Policy;
  readonly segmentPolicies: SegmentPolicies;
}

export class PricingGroups {
  readonly segments: number;
  readonly customerGroups: number;
  readonly partnerGroups: number;
  /** Customer experiments by their bit, and partner experiments by theirs. */
  private readonly customerTests: readonly ExperimentConfig[];
  private readonly partnerTests: readonly ExperimentConfig[];
  /** Each partner test's set with every partner-facing key (undefined where it sets none): one shape, read key by key. */
  private readonly partnerSets: readonly Partial<PartnerTerms>[];
  private readonly customer: CustomerTerms = { customerFee: 0, subscription: 0, couponValue: 0 };
  private readonly partner: PartnerTerms = { takeRate: 0, listingFee: 0, partnerSubsidy: 0, promotionBoost: 0 };

  constructor(private readonly table: SegmentTable, experiments: readonly ExperimentConfig[]) {
    this.segments = table.count;
    this.customerTests = experiments.filter((e) => e.unit === 'customers');
    this.partnerTests = experiments.filter((e) => e.unit === 'partners');
    this.partnerSets = this.partnerTests.map((e) => {
      const set = e.set as Partial<PartnerTerms>;
      return { takeRate: set.takeRate, listingFee: set.listingFee, partnerSubsidy: set.partnerSubsidy, promotionBoost: set.promotionBoost };
    });
    this.customerGroups = this.segments << this.customerTests.length;
    this.partnerGroups = 1 << this.partnerTests.length;
  }

  /** The bit of an experiment among those of its unit. */
  bitOf(e: ExperimentConfig): number {
    return (e.unit === 'customers' ? this.customerTests : this.partnerTests).indexOf(e);
  }

  riskAversion(group: number): number {
    return this.table.riskAversion[group % this.segments]!;
  }

  /** The customer-facing policy of group g on platform pl (a scratch object, valid until the next call). */
  customerPolicy(pl: PricedPlatform, g: number): CustomerTerms {
    const out = this.customer;
    const pol = pl.policy;
    out.customerFee = pol.customerFee;
    out.subscription = pol.subscription;
    out.couponValue = pol.couponValue;
    const own: SegmentPolicy | undefined = pl.segmentPolicies[this.table.names[g % this.segments]!];
    if (own) Object.assign(out, own);
    let mask = Math.floor(g / this.segments);
    for (let b = 0; mask !== 0; b++, mask >>>= 1) {
      const e = this.customerTests[b]!;
      if ((mask & 1) !== 0 && e.platform === pl.index) Object.assign(out, e.set);
    }
    return out;
  }

  /**
   * The partner-facing policy of partner group h on platform pl (a scratch object, valid until the
   * next call). Called per treated partner in the partners' phases, so it sets key by key what a
   * generic assign of the test's set would.
   */
  partnerPolicy(pl: PricedPlatform, h: number): PartnerTerms {
    const out = this.partner;
    const pol: Policy = pl.policy;
    out.takeRate = pol.takeRate;
    out.listingFee = pol.listingFee;
    out.partnerSubsidy = pol.partnerSubsidy;
    out.promotionBoost = pol.promotionBoost;
    for (let b = 0, mask = h; mask !== 0; b++, mask >>>= 1) {
      if ((mask & 1) === 0 || this.partnerTests[b]!.platform !== pl.index) continue;
      const set = this.partnerSets[b]!;
      if (set.takeRate !== undefined) out.takeRate = set.takeRate;
      if (set.listingFee !== undefined) out.listingFee = set.listingFee;
      if (set.partnerSubsidy !== undefined) out.partnerSubsidy = set.partnerSubsidy;
      if (set.promotionBoost !== undefined) out.promotionBoost = set.promotionBoost;
    }
    return out;
  }
}
