/**
 * A small deterministic PRNG (mulberry32) and a seed mixer. Every stream of the sample company is
 * seeded from a tuple such as (seed, stream, day, id), so any day or entity can be regenerated alone,
 * in any order, with the same result.
 */
export function mixSeed(...parts: readonly number[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    // Split each part into two 32-bit halves so day numbers × 10^7 ids do not lose bits.
    for (const word of [part >>> 0, Math.floor(part / 4294967296) >>> 0]) {
      hash = Math.imul(hash ^ word, 0x01000193);
      hash ^= hash >>> 15;
      hash = Math.imul(hash, 0x2c1b3c6d);
      hash ^= hash >>> 12;
    }
  }
  return hash >>> 0;
}

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** An index drawn with the given (not necessarily normalised) weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const weight of weights) total += weight;
    let target = this.next() * total;
    for (let index = 0; index < weights.length; index++) {
      target -= weights[index]!;
      if (target < 0) return index;
    }
    return weights.length - 1;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal with the given mean and shape. */
  logNormal(mean: number, sigma: number): number {
    return mean * Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }

  /** Poisson (Knuth for small means, a rounded normal above 30). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.next();
    while (product > limit) {
      count++;
      product *= this.next();
    }
    return count;
  }

  /** Days until an event with a constant daily hazard (at least 1). */
  geometric(dailyHazard: number): number {
    return Math.max(1, Math.ceil(Math.log(1 - this.next()) / Math.log(1 - dailyHazard)));
  }

  hex(length: number): string {
    let text = '';
    while (text.length < length)
      text += Math.floor(this.next() * 4294967296)
        .toString(16)
        .padStart(8, '0');
    return text.slice(0, length);
  }

  digits(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += String(Math.floor(this.next() * 10));
    return text;
  }
}

/** Independent random streams; the numbers are part of the generated data's identity, never reuse one. */
export const Stream = {
  world: 1,
  merchant: 2,
  installs: 3,
  user: 4,
  profile: 5,
  activity: 6,
  badRows: 7,
  crm: 8,
  rates: 9,
  agency: 10,
  partnerShare: 11,
  legalClient: 12,
  profileUpdate: 13,
  lateArrival: 14,
  critical: 15,
  app: 16,
  business: 17,
  businessDay: 18,
} as const;

export function randomFor(...parts: readonly number[]): Random {
  return new Random(mixSeed(...parts));
}
