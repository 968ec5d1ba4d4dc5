import { addDays } from '@vitrina/core';
import { fetchJson } from '@vitrina/io';
import { z } from 'zod';

/**
 * The National Bank of the Republic of Belarus exchange-rate API, as documented at
 * https://www.nbrb.by/apihelp/exrates. `Cur_OfficialRate` is BYN per `Cur_Scale` units (RUB is
 * quoted per 100); the per-unit rate is derived in PostgreSQL (`official_rate / scale`, exact numeric),
 * never in floating point. Currencies are keyed by `Cur_Abbreviation`
 * and date, never by `Cur_ID`: NBRB renumbered currencies (USD 145 → 431 on 2021-07-09).
 */
export const nbrbRateSchema = z.object({
  Cur_ID: z.number().int(),
  Date: z.string().regex(/^\d{4}-\d{2}-\d{2}T/, 'expected an ISO date-time'),
  Cur_Abbreviation: z.string().regex(/^[A-Z]{3}$/),
  Cur_Scale: z.number().int().positive(),
  Cur_Name: z.string(),
  Cur_OfficialRate: z.number().positive(),
});
export type NbrbRate = z.infer<typeof nbrbRateSchema>;

export const nbrbDynamicsSchema = z.array(
  z.object({ Cur_ID: z.number().int(), Date: z.string(), Cur_OfficialRate: z.number().positive() }),
);

export interface DailyRate {
  day: string;
  currency: string;
  curId: number;
  scale: number;
  /** BYN per `scale` units, exactly as published. */
  officialRate: number;
}

export function toDailyRate(rate: NbrbRate): DailyRate {
  return {
    day: rate.Date.slice(0, 10),
    currency: rate.Cur_Abbreviation,
    curId: rate.Cur_ID,
    scale: rate.Cur_Scale,
    officialRate: rate.Cur_OfficialRate,
  };
}

/** The official rates of every daily-set currency on one day. Raw records: validation happens at load. */
export async function fetchRatesOn(baseUrl: string, day: string): Promise<unknown[]> {
  return fetchJson(`${baseUrl}/exrates/rates?periodicity=0&ondate=${day}`, z.array(z.unknown()), {
    retries: 3,
  });
}

/** A backfill of one currency's rates, in requests of at most 365 days as the API requires. */
export async function fetchDynamics(
  baseUrl: string,
  curId: number,
  from: string,
  to: string,
): Promise<Array<{ day: string; officialRate: number }>> {
  const result: Array<{ day: string; officialRate: number }> = [];
  for (let start = from; start <= to; start = addDays(start, 365)) {
    const end = addDays(start, 364) < to ? addDays(start, 364) : to;
    const rows = await fetchJson(
      `${baseUrl}/exrates/rates/dynamics/${curId}?startdate=${start}&enddate=${end}`,
      nbrbDynamicsSchema,
    );
    for (const row of rows) result.push({ day: row.Date.slice(0, 10), officialRate: row.Cur_OfficialRate });
  }
  return result;
}
