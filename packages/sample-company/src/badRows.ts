import { mixSeed, type Random, randomFor, Stream } from './random.ts';
import type { BadKind } from './rows.ts';
import type { World } from './world.ts';

/** A stable number for a table or file name, to seed its own bad-row stream. */
export function textSeed(text: string): number {
  return mixSeed(...Array.from(text, (char) => char.charCodeAt(0)));
}

/**
 * Decides, row by row, which rows of one table on one day turn bad. It draws from its own stream, so
 * the good rows are the same whatever the rate.
 */
export class BadRowInjector {
  private readonly random: Random;
  private readonly rate: number;

  constructor(world: World, day: number, table: string) {
    this.random = randomFor(world.options.seed, Stream.badRows, day, textSeed(table));
    this.rate = world.options.badRowRate;
  }

  next<K extends BadKind>(kinds: readonly K[]): K | null {
    if (this.rate <= 0 || !this.random.chance(this.rate)) return null;
    return this.random.pick(kinds);
  }

  get randomness(): Random {
    return this.random;
  }
}
