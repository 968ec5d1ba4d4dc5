import { type Asset, addDays } from '@vitrina/core';
import { ensureTable, loadValidated, tableVersion } from '@vitrina/io';
import type { WarehouseResources } from '../resources.ts';
import { fetchDynamics, fetchRatesOn, type NbrbRate, nbrbRateSchema } from '../sources/nbrb.ts';
import { type Geocode, GeocoderLimitReached, geocode } from '../sources/yandex.ts';
import { date, decimal, int, rowSchema, type StageTableShape, text } from './columns.ts';
import { guardedLoad } from './delivery.ts';
import { loadOutcome } from './loadOutcome.ts';
import { stageAsset } from './stageAsset.ts';

const ratesDdl = `create table stage.nbrb_rates (
  day date not null,
  currency text not null,
  cur_id integer not null,
  scale integer not null,
  official_rate numeric(18,6) not null,
  rate_per_unit numeric generated always as (official_rate / scale) stored,
  primary key (day, currency)
)`;

/** What a rate is validated as: the columns of ratesDdl it is copied into (rate_per_unit is generated). */
const rateColumns = {
  day: date(),
  currency: text({ pattern: /^[A-Z]{3}$/ }),
  cur_id: int(),
  scale: int({ sign: 'positive' }),
  official_rate: decimal(18, 6, { sign: 'positive' }),
};

interface RateRecord {
  day: string;
  currency: string;
  cur_id: number;
  scale: number;
  official_rate: number;
}

const rateRecord = (rate: NbrbRate): RateRecord => ({
  day: rate.Date.slice(0, 10),
  currency: rate.Cur_Abbreviation,
  cur_id: rate.Cur_ID,
  scale: rate.Cur_Scale,
  official_rate: rate.Cur_OfficialRate,
});

export const nbrbRatesShape: StageTableShape = {
  key: 'stage.nbrb_rates',
  ddl: ratesDdl,
  columns: rateColumns,
  unvalidated: ['rate_per_unit'],
};

/**
 * Official NBRB rates of one day, keyed by currency code and date (never by Cur_ID, which NBRB
 * renumbered). `official_rate` is BYN per `scale` units as published; `rate_per_unit` is derived
 * in PostgreSQL, exactly. Days missing before the one loaded are backfilled in the same step from
 * the dynamics endpoint and reported as rewritten.
 */
export function nbrbRates(start: string): Asset<WarehouseResources> {
  return stageAsset({
    key: 'stage.nbrb_rates',
    description:
      'Official NBRB exchange rates to BYN per day: as published per Cur_Scale units, and per unit.',
    deps: ['source.nbrb.rates'],
    start,
    pool: 'api',
    sql: ratesDdl,
    materialize: async ({ resources, partition, runId, signal, log }) => {
      const db = resources.warehouse;
      await ensureTable(db, 'stage.nbrb_rates', ratesDdl);
      const records = await fetchRatesOn(resources.nbrbUrl, partition);
      // Days missing before this one (a first load, or an outage) are backfilled from the
      // dynamics endpoint, one request per currency and at most 365 days.
      const { rows } = await db.query<{ last: string | null }>(
        'select max(day)::text as last from stage.nbrb_rates where day < $1',
        [partition],
      );
      const gapFrom = rows[0]?.last ? addDays(rows[0].last, 1) : start;
      const backfill =
        gapFrom < partition
          ? await backfillRates(resources.nbrbUrl, records, gapFrom, addDays(partition, -1))
          : [];
      if (backfill.length > 0)
        log(`backfilled ${gapFrom} to ${addDays(partition, -1)} from the dynamics endpoint`);
      const from = backfill.length > 0 ? gapFrom : partition;
      const schema = nbrbRateSchema
        .refine((rate) => rate.Date.slice(0, 10) >= from && rate.Date.slice(0, 10) <= partition, {
          message: `Date: outside ${from} to ${partition}`,
          path: ['Date'],
        })
        .transform(rateRecord)
        .pipe(rowSchema<RateRecord>(rateColumns));
      const delivery = {
        config: resources.config,
        asset: 'stage.nbrb_rates',
        partition,
        target: partition,
        source: `NBRB rates on ${partition}`,
        log,
      };
      // NBRB publishes rates for every day: an empty answer is an outage, not a day without rates.
      const result = await guardedLoad(delivery, { allowEmpty: false }, (guard) =>
        loadValidated({
          pool: db,
          rows: (async function* () {
            yield [...backfill, ...records];
          })(),
          schema,
          toValues: (values) => values,
          target: {
            table: 'stage.nbrb_rates',
            columns: Object.keys(rateColumns),
            partition: { column: 'day', from, to: partition },
          },
          quarantine: { source: 'nbrb', asset: 'stage.nbrb_rates', partition, runId },
          partitionOf: (raw) => {
            const date = (raw as { Date?: unknown }).Date;
            return typeof date === 'string' ? date.slice(0, 10) : null;
          },
          signal,
          guard,
        }),
      );
      return loadOutcome(result, { backfilledFrom: from }, partition);
    },
  });
}

/**
 * The rates of the days from `from` to `to` for every currency of `today` (the day's own answer
 * gives each currency's current Cur_ID, code, scale and name), in NBRB's rate format.
 */
async function backfillRates(
  baseUrl: string,
  today: unknown[],
  from: string,
  to: string,
): Promise<unknown[]> {
  const backfill: unknown[] = [];
  for (const raw of today) {
    const rate = nbrbRateSchema.safeParse(raw);
    if (!rate.success) continue;
    for (const day of await fetchDynamics(baseUrl, rate.data.Cur_ID, from, to)) {
      backfill.push({ ...rate.data, Date: `${day.day}T00:00:00`, Cur_OfficialRate: day.officialRate });
    }
  }
  return backfill;
}

const geocodesDdl = `create table stage.geocodes (
  address text primary key,
  lon double precision not null,
  lat double precision not null,
  precision text not null,
  formatted text,
  province text,
  area text,
  locality text,
  components jsonb not null,
  geocoded_at timestamptz not null,
  expires_at timestamptz not null
)`;

const pendingAddresses = `select address from (
    select address from stage.merchants union select address from stage.legal_clients
  ) wanted
  where address is not null and address not in (select address from stage.geocodes)
  order by address`;

/**
 * Coordinates and address components of merchants' and legal clients' addresses from the Yandex
 * Geocoder. Only addresses without a live cached result are requested. Yandex's free terms allow
 * caching a result for at most 30 days, not storing it: rows expire after VITRINA_GEOCODE_TTL_DAYS
 * and are requested again. When the daily limit is reached (HTTP 429) geocoding stops for the day
 * and the step still succeeds, saying how many addresses wait.
 */
export function geocodes(start: string): Asset<WarehouseResources> {
  return stageAsset({
    key: 'stage.geocodes',
    description:
      "Geocodes of merchants' and legal clients' addresses (Yandex Geocoder), cached for at most 30 days as Yandex's terms allow.",
    deps: ['source.yandex.geocoder', 'stage.merchants', 'stage.legal_clients'],
    start,
    pool: 'api',
    sql: [geocodesDdl, pendingAddresses],
    checks: [
      {
        name: 'geocoder_limit',
        severity: 'warn',
        description: 'every address got its geocode today',
        run: async ({ materialization }) => {
          const pending = Number(materialization.metadata?.pending ?? 0);
          return pending === 0
            ? { passed: true }
            : {
                passed: false,
                message: `${pending} addresses wait for tomorrow: the daily limit was reached`,
              };
        },
      },
    ],
    materialize: async ({ resources, signal, log }) => {
      const db = resources.warehouse;
      await ensureTable(db, 'stage.geocodes', geocodesDdl);
      const expired = await db.query('delete from stage.geocodes where expires_at <= now()');
      const { rows } = await db.query<{ address: string }>(pendingAddresses);
      const { url, apiKey } = resources.yandex;
      if (rows.length > 0 && !apiKey) throw new Error('VITRINA_YANDEX_API_KEY is not set');
      const found: Geocode[] = [];
      let notFound = 0;
      let pending = 0;
      for (const [index, { address }] of rows.entries()) {
        if (signal.aborted) throw signal.reason;
        try {
          const result = await geocode(url, apiKey!, address);
          if (result) found.push(result);
          else notFound++;
        } catch (error) {
          if (!(error instanceof GeocoderLimitReached)) throw error;
          pending = rows.length - index;
          log(`${error.message}: ${pending} addresses left for tomorrow`, 'warn');
          break;
        }
      }
      await insertGeocodes(db, found, resources.config.VITRINA_GEOCODE_TTL_DAYS);
      const version = await tableVersion(db, 'stage.geocodes');
      return {
        rows: version.rows,
        dataVersion: version.dataVersion,
        metadata: {
          requested: rows.length - pending,
          geocoded: found.length,
          notFound,
          pending,
          expired: expired.rowCount ?? 0,
        },
      };
    },
  });
}

async function insertGeocodes(db: WarehouseResources['warehouse'], found: Geocode[], ttlDays: number) {
  for (let i = 0; i < found.length; i += 500) {
    const chunk = found.slice(i, i + 500);
    await db.query(
      `insert into stage.geocodes (address, lon, lat, precision, formatted, province, area, locality, components, geocoded_at, expires_at)
       select g.address, g.lon, g.lat, g.precision, g.formatted, g.components->>'province', g.components->>'area',
              g.components->>'locality', g.components, now(), now() + make_interval(days => $2)
       from jsonb_to_recordset($1::jsonb) as g(address text, lon float8, lat float8, precision text, formatted text, components jsonb)
       on conflict (address) do nothing`,
      [JSON.stringify(chunk), ttlDays],
    );
  }
}
