import { describe, expect, it } from 'vitest';
import { dayKey, dayNumber } from '../src/index.ts';
import { checksum, generateDay, rowsOf, START, world } from './helpers.ts';

const day = (offset: number) => dayKey(dayNumber(START) + offset);

describe('the sample company generator', () => {
  it('is deterministic: the same seed gives the same day, another seed another', () => {
    const first = checksum(generateDay(world(), day(2)));
    expect(checksum(generateDay(world(), day(2)))).toBe(first);
    expect(checksum(generateDay(world({ seed: 2 }), day(2)))).not.toBe(first);
  });

  it('gives a day the same content whichever days were generated before, in any order', () => {
    const alone = checksum(generateDay(world(), day(5)));
    const busy = world();
    for (const offset of [9, 0, 3, 7, 1]) checksum(generateDay(busy, day(offset)));
    expect(checksum(generateDay(busy, day(5)))).toBe(alone);
  });

  it('generates a scale-1 day in well under a second, with about 3,000 payments', () => {
    const fresh = world();
    const started = performance.now();
    const payments = rowsOf(generateDay(fresh, day(1)), 'core.transactions').length;
    expect(performance.now() - started).toBeLessThan(1500);
    expect(payments).toBeGreaterThan(2000);
    expect(payments).toBeLessThan(4500);
  });

  it("starts every session on the day it was generated for, which that day's increment replaces", () => {
    // Seeds 7 and 11 once made a session after a late registration start past midnight, where the
    // next day's increment dropped it from the registry while the day's own figures counted it.
    for (const seed of [7, 11]) {
      const company = world({ seed });
      for (let offset = 0; offset < 4; offset++) {
        const sessions = rowsOf(generateDay(company, day(offset)), 'REGISTRY.APP_SESSIONS');
        expect(sessions.length).toBeGreaterThan(100);
        const elsewhere = sessions
          .map(({ row }) => row as Record<string, unknown>)
          .filter((row) => !String(row.STARTED_AT).startsWith(day(offset)));
        expect(elsewhere, `seed ${seed}, ${day(offset)}`).toEqual([]);
      }
    }
  });

  it('registers a legal client on the day its deal is won, so it counts as a client from then on', () => {
    const company = world();
    let won = 0;
    for (let offset = 0; offset < 45; offset++) {
      const increment = generateDay(company, day(offset));
      const clients = increment.tables.filter((t) => t.table === 'REGISTRY.LEGAL_CLIENTS');
      for (const { row, bad } of clients.flatMap((t) => [...t.rows()])) {
        if (bad) continue;
        won++;
        expect(String((row as Record<string, unknown>).REGISTERED_AT).slice(0, 10)).toBe(day(offset));
      }
    }
    expect(won).toBeGreaterThan(0);
  });
});
