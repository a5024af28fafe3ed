// The run's first ticks (docs/model.md section 12). V8 compiles a phase once it is hot, for the
// paths it has taken so far; a path first taken later, in a test's window, throws the compiled
// phase away, and it runs unoptimized while it is compiled again. So in these ticks the code a
// test will need runs too, where it can without changing a number: the ledger records; a served
// deal goes through the payment of its coupon, of nothing when there is none; partners weigh
// entry by their group's terms, and the search index prices them by their group's take rate,
// every partner being in group 0, whose terms are the platform's (test/warm-ticks.test.ts).

/** How many ticks at the start of a run take those paths. */
export const WARM_TICKS = 2;
