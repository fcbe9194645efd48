/**
 * Seeded PRNG for every stochastic path in physics and learning (no Math.random).
 * PCG32 (O'Neill 2014, XSH-RR output) on a 64-bit state kept as two uint32 halves so it runs on
 * plain numbers; normal variates by Box-Muller (cached pair). Same seed => same stream everywhere.
 */
export class Rng {
  private hi = 0;
  private lo = 0;
  private incHi = 0;
  private incLo = 0;
  private spare = NaN;

  constructor(seed: number = 0, stream: number = 0x5851f42d) {
    this.seed(seed, stream);
  }

  /** Re-seed in place. Seeds are integers; non-integers are hashed through their float bits. */
  seed(seed: number, stream: number = 0x5851f42d): void {
    const s = Math.floor(seed);
    const sLo = s >>> 0;
    const sHi = Math.floor(s / 4294967296) >>> 0;
    // inc must be odd
    this.incHi = (stream >>> 0) >>> 31;
    this.incLo = (((stream << 1) | 1) >>> 0);
    this.hi = 0;
    this.lo = 0;
    this.spare = NaN;
    this.next();
    this.add(sHi, sLo);
    this.next();
  }

  private add(hi: number, lo: number): void {
    const l = this.lo + lo;
    this.lo = l >>> 0;
    this.hi = (this.hi + hi + (l > 0xffffffff ? 1 : 0)) >>> 0;
  }

  /** state = state * 6364136223846793005 + inc (mod 2^64) */
  private step(): void {
    // multiplier 0x5851F42D_4C957F2D
    const mHi = 0x5851f42d;
    const mLo = 0x4c957f2d;
    const aLo = this.lo;
    const aHi = this.hi;
    // 64-bit multiply low part using 16-bit limbs
    const a0 = aLo & 0xffff, a1 = aLo >>> 16, b0 = mLo & 0xffff, b1 = mLo >>> 16;
    const p00 = a0 * b0;
    const p01 = a0 * b1;
    const p10 = a1 * b0;
    const p11 = a1 * b1;
    const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
    const lo = ((mid & 0xffff) << 16 | (p00 & 0xffff)) >>> 0;
    const carry = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
    const hi = (carry + Math.imul(aHi, mLo) + Math.imul(aLo, mHi)) >>> 0;
    this.lo = lo;
    this.hi = hi;
    this.add(this.incHi, this.incLo);
  }

  /** Next uint32. */
  next(): number {
    const oldHi = this.hi;
    const oldLo = this.lo;
    this.step();
    // xorshifted = ((old >> 18) ^ old) >> 27, as uint32
    const sHi = oldHi >>> 18;
    const sLo = ((oldLo >>> 18) | (oldHi << 14)) >>> 0;
    const xHi = (sHi ^ oldHi) >>> 0;
    const xLo = (sLo ^ oldLo) >>> 0;
    const xorshifted = ((xLo >>> 27) | (xHi << 5)) >>> 0;
    const rot = oldHi >>> 27;
    return ((xorshifted >>> rot) | (xorshifted << ((32 - rot) & 31))) >>> 0;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.next() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller). */
  normal(mean = 0, std = 1): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Fill with uniform values in [lo, hi). */
  fillUniform(out: Float32Array | Float64Array, lo = -1, hi = 1): typeof out {
    for (let i = 0; i < out.length; i++) out[i] = this.range(lo, hi);
    return out;
  }

  /** Derive an independent generator (for sub-streams: DR, reset noise, faults). */
  fork(): Rng {
    return new Rng(this.next() * 4294967296 + this.next(), this.next() | 1);
  }

  /** Serializable state, for checkpoints. */
  getState(): [number, number, number, number] {
    return [this.hi, this.lo, this.incHi, this.incLo];
  }

  setState(s: [number, number, number, number]): void {
    [this.hi, this.lo, this.incHi, this.incLo] = s;
    this.spare = NaN;
  }
}
