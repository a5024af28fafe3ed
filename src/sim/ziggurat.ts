import { openUniform, type Rng } from './random.js';

// Standard normal draws by the ziggurat method (Marsaglia and Tsang 2000, 128 layers), with the
// layer and the value drawn from separate uniforms (Doornik 2005): nearly every draw is two
// uniforms, a multiply and a compare, where Box-Muller or the polar method take a logarithm.

const LAYERS = 128;
const R = 3.442619855899;
const V = 9.91256303526217e-3;
const M1 = 2147483648;
const kn = new Float64Array(LAYERS);
const wn = new Float64Array(LAYERS);
const fn = new Float64Array(LAYERS);
{
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  kn[0] = (dn / q) * M1;
  kn[1] = 0;
  wn[0] = q / M1;
  wn[LAYERS - 1] = dn / M1;
  fn[0] = 1;
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = (dn / tn) * M1;
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / M1;
  }
}

export function ziggurat(rng: Rng): number {
  // A signed 32-bit value and, apart, its layer.
  const hz = (rng.next() * 4294967296 - 2147483648) | 0;
  const iz = (rng.next() * LAYERS) | 0;
  if (Math.abs(hz) < kn[iz]!) return hz * wn[iz]!;
  return rejected(rng, hz, iz);
}

// The rare rest (about 1 draw in 40), kept apart so that the common path above is small enough for
// the optimizer to inline where it is called, and its result is not boxed.
function rejected(rng: Rng, hz: number, iz: number): number {
  for (;;) {
    const x = hz * wn[iz]!;
    if (iz === 0) {
      // The tail beyond R, by Marsaglia's exponential method.
      let t: number;
      let y: number;
      do {
        t = -Math.log(openUniform(rng)) / R;
        y = -Math.log(openUniform(rng));
      } while (y + y < t * t);
      return hz > 0 ? R + t : -R - t;
    }
    if (fn[iz]! + rng.next() * (fn[iz - 1]! - fn[iz]!) < Math.exp(-0.5 * x * x)) return x;
    hz = (rng.next() * 4294967296 - 2147483648) | 0;
    iz = (rng.next() * LAYERS) | 0;
    if (Math.abs(hz) < kn[iz]!) return hz * wn[iz]!;
  }
}
