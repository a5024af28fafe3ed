// Seeds of the runs of an experiment (docs/model.md section 1: randomness never depends on the order
// in which work reaches a thread). The seed of run (point p, replication r) is a fixed 32-bit hash of
// (base seed, p, r), so every run can be repeated on its own with `ecosim run --seed <seed>`:
//
//   h = fmix32(base ^ 0x9e3779b9)
//   h = fmix32(h ^ fmix32(p + 0x85ebca6b))
//   h = fmix32(h ^ fmix32(r + 0xc2b2ae35))
//
// where fmix32 is MurmurHash3's finalizer (all arithmetic modulo 2^32). Neighbouring points and
// replications get unrelated seeds. `compare` runs every scenario on the seeds of point 0, so that
// replication r of each scenario shares its random numbers (common random numbers).

const MAX_U32 = 0xffffffff;

/** MurmurHash3's 32-bit finalizer: every input bit flips about half of the output bits. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function checkU32(name: string, x: number): void {
  if (!Number.isInteger(x) || x < 0 || x > MAX_U32) throw new RangeError(`${name} must be a whole number from 0 to ${MAX_U32}, got ${x}`);
}

/** The seed (0 … 2^32-1) of replication `replication` of design point `point`, from a base seed. */
export function deriveSeed(base: number, point: number, replication: number): number {
  checkU32('base seed', base);
  checkU32('point', point);
  checkU32('replication', replication);
  let h = fmix32((base ^ 0x9e3779b9) >>> 0);
  h = fmix32((h ^ fmix32(point + 0x85ebca6b)) >>> 0);
  h = fmix32((h ^ fmix32(replication + 0xc2b2ae35)) >>> 0);
  return h;
}

/** The seed of replication r in `compare`: the same for every scenario (common random numbers). */
export function commonSeed(base: number, replication: number): number {
  return deriveSeed(base, 0, replication);
}
