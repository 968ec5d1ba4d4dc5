import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer } from '../../src/replay/server.ts';
import { GeocoderLimitReached, geocode } from '../../src/sources/yandex.ts';

const address = 'Минск, проспект Независимости, 4';
/** A response in Yandex Geocoder's format (trimmed to what we read). */
const response = {
  response: {
    GeoObjectCollection: {
      featureMember: [
        {
          GeoObject: {
            Point: { pos: '27.560133 53.898063' },
            metaDataProperty: {
              GeocoderMetaData: {
                precision: 'exact',
                text: 'Беларусь, Минск, проспект Независимости, 4',
                Address: {
                  formatted: 'Беларусь, Минск, проспект Независимости, 4',
                  Components: [
                    { kind: 'country', name: 'Беларусь' },
                    { kind: 'province', name: 'Минск' },
                    { kind: 'locality', name: 'Минск' },
                    { kind: 'street', name: 'проспект Независимости' },
                    { kind: 'house', name: '4' },
                  ],
                },
              },
            },
          },
        },
      ],
    },
  },
};

let fixtures: string;
let replay: Awaited<ReturnType<typeof startReplayServer>>;
beforeAll(async () => {
  fixtures = mkdtempSync(join(tmpdir(), 'vitrina-yandex-'));
  mkdirSync(join(fixtures, 'yandex'));
  writeFileSync(
    join(fixtures, 'yandex', `${createHash('sha1').update(address).digest('hex')}.json`),
    JSON.stringify(response),
  );
  replay = await startReplayServer(fixtures, { yandexApiKey: 'the-key', yandexDailyLimit: 4 });
});
afterAll(async () => {
  await replay?.close();
  rmSync(fixtures, { recursive: true, force: true });
});

describe('Yandex Geocoder through the replay server', () => {
  it('reads coordinates ("lon lat"), precision and address components', async () => {
    expect(await geocode(replay.url, 'the-key', address)).toEqual({
      address,
      lon: 27.560133,
      lat: 53.898063,
      precision: 'exact',
      formatted: 'Беларусь, Минск, проспект Независимости, 4',
      components: {
        country: 'Беларусь',
        province: 'Минск',
        locality: 'Минск',
        street: 'проспект Независимости',
        house: '4',
      },
    });
  });

  it('answers null for an address it does not know', async () => {
    expect(await geocode(replay.url, 'the-key', 'Нигде, 0')).toBeNull();
  });

  it('turns 403 into a configuration error that does not show the key', async () => {
    const error: Error = await geocode(replay.url, 'wrong-secret', address).then(
      () => new Error('no error'),
      (failure: Error) => failure,
    );
    expect(error.message).toBe('VITRINA_YANDEX_API_KEY: the Yandex Geocoder refused the key (HTTP 403)');
    expect(error.message).not.toContain('wrong-secret');
  });

  it('reports the daily limit distinctly, so geocoding can stop for the day', async () => {
    await geocode(replay.url, 'the-key', address); // the 4th request; the next ones pass the limit
    await expect(geocode(replay.url, 'the-key', address)).rejects.toBeInstanceOf(GeocoderLimitReached);
  });
});
