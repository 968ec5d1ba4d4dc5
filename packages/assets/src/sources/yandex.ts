import { ConfigError } from '@vitrina/core';
import { fetchJson, HttpError, TransientHttpError } from '@vitrina/io';
import { z } from 'zod';

/**
 * Yandex Geocoder (https://yandex.ru/dev/geocode/): `/1.x/?apikey&geocode&format=json&lang=ru_RU`.
 * Coordinates come as "lon lat" in `GeoObject.Point.pos`. The API key comes from config and never
 * appears in a message. Yandex's free terms allow caching a result for at most 30 days, not storing
 * it: callers keep results with a TTL (30 days by default).
 */
const geoObjectSchema = z.object({
  Point: z.object({ pos: z.string().regex(/^-?\d+(\.\d+)? -?\d+(\.\d+)?$/, 'expected "lon lat"') }),
  metaDataProperty: z.object({
    GeocoderMetaData: z.object({
      precision: z.string(),
      text: z.string().optional(),
      Address: z.object({
        formatted: z.string().optional(),
        Components: z.array(z.object({ kind: z.string(), name: z.string() })),
      }),
    }),
  }),
});

export const geocoderResponseSchema = z.object({
  response: z.object({
    GeoObjectCollection: z.object({ featureMember: z.array(z.object({ GeoObject: geoObjectSchema })) }),
  }),
});

export interface Geocode {
  address: string;
  lon: number;
  lat: number;
  /** Yandex's precision: exact, number, near, range, street, other. */
  precision: string;
  formatted: string | null;
  /** Address components by kind (country, province, area, locality, street, house…). */
  components: Record<string, string>;
}

/** The geocoder's daily request limit is reached: stop geocoding for today, the rest of the run goes on. */
export class GeocoderLimitReached extends Error {
  override name = 'GeocoderLimitReached';
}

export async function geocode(baseUrl: string, apiKey: string, address: string): Promise<Geocode | null> {
  const url = `${baseUrl}/1.x/?apikey=${encodeURIComponent(apiKey)}&geocode=${encodeURIComponent(address)}&format=json&lang=ru_RU`;
  let body: z.infer<typeof geocoderResponseSchema>;
  try {
    body = await fetchJson(url, geocoderResponseSchema, { retries: 2, retryTooManyRequests: false });
  } catch (error) {
    if (error instanceof HttpError && error.status === 403) {
      throw new ConfigError('VITRINA_YANDEX_API_KEY: the Yandex Geocoder refused the key (HTTP 403)');
    }
    if (error instanceof TransientHttpError && error.status === 429) {
      throw new GeocoderLimitReached('the Yandex Geocoder daily limit is reached (HTTP 429)');
    }
    throw error;
  }
  const found = body.response.GeoObjectCollection.featureMember[0]?.GeoObject;
  if (!found) return null;
  const [lon, lat] = found.Point.pos.split(' ').map(Number) as [number, number];
  const meta = found.metaDataProperty.GeocoderMetaData;
  const components: Record<string, string> = {};
  for (const component of meta.Address.Components) components[component.kind] ??= component.name;
  return {
    address,
    lon,
    lat,
    precision: meta.precision,
    formatted: meta.Address.formatted ?? null,
    components,
  };
}
