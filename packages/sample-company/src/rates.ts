import { isWeekend } from './calendar.ts';
import { randomFor, Stream } from './random.ts';
import { currencies } from './reference.ts';
import type { World } from './world.ts';

/** NBRB official rates (BYN per Cur_Scale units) on a day: a smooth walk set on working days. */
export function ratesOn(
  world: World,
  day: number,
): Map<string, { curId: number; scale: number; name: string; rate: number }> {
  let working = day;
  while (isWeekend(working)) working--;
  const rates = new Map<string, { curId: number; scale: number; name: string; rate: number }>();
  currencies.forEach((currency, index) => {
    const phase = randomFor(world.options.seed, Stream.rates, index).next() * 2 * Math.PI;
    const wave = Math.sin(working / 61 + phase) * 0.6 + Math.sin(working / 17 + phase * 2) * 0.3;
    const noise = (randomFor(world.options.seed, Stream.rates, index, working).next() - 0.5) * 0.2;
    const rate = currency.base * (1 + currency.swing * 0.5 * (wave + noise));
    rates.set(currency.code, {
      curId: currency.curId,
      scale: currency.scale,
      name: currency.name,
      rate: Math.round(rate * 10_000) / 10_000,
    });
  });
  return rates;
}

/** BYN per one unit of a currency (BYN itself is 1). */
export function bynPerUnit(world: World, day: number, currency: string): number {
  if (currency === 'BYN') return 1;
  const rate = ratesOn(world, day).get(currency);
  if (!rate) throw new Error(`no rate for ${currency}`);
  return rate.rate / rate.scale;
}
