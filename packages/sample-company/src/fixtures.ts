import { createHash } from 'node:crypto';
import { dayKey } from './calendar.ts';
import { mixSeed } from './random.ts';
import { ratesOn } from './rates.ts';
import { cities } from './reference.ts';
import type { Fixture } from './rows.ts';
import type { World } from './world.ts';

/** NBRB's answer to /exrates/rates?periodicity=0&ondate=D. */
export function nbrbFixture(world: World, day: number): Fixture {
  const key = dayKey(day);
  return {
    path: `nbrb/rates-${key}.json`,
    body: [...ratesOn(world, day)].map(([code, rate]) => ({
      Cur_ID: rate.curId,
      Date: `${key}T00:00:00`,
      Cur_Abbreviation: code,
      Cur_Scale: rate.scale,
      Cur_Name: rate.name,
      Cur_OfficialRate: rate.rate,
    })),
  };
}

/**
 * The Yandex Geocoder's answer for an address written as the sources write it
 * ('г. Минск, ул. Притыцкого, д. 29'): the point lies near the city's centre, shifted by the
 * address's hash; the file is named by the SHA-1 of the exact address text, as the replay server
 * looks it up.
 */
export function yandexFixture(address: string): Fixture {
  const [cityPart = '', street = '', housePart = ''] = address.split(', ');
  const cityName = cityPart.replace(/^г\. /, '');
  const city = cities.find((c) => c.name === cityName) ?? cities[0]!;
  const house = housePart.replace(/^д\. /, '');
  const hash = mixSeed(...Array.from(address, (char) => char.charCodeAt(0)));
  const lon = (city.lon + ((hash & 0xffff) / 0xffff - 0.5) * 0.12).toFixed(6);
  const lat = (city.lat + (((hash >>> 16) & 0xffff) / 0xffff - 0.5) * 0.07).toFixed(6);
  const formatted = `Беларусь, ${city.name}, ${street}, ${house}`;
  const components = [
    { kind: 'country', name: 'Беларусь' },
    { kind: 'province', name: city.region },
    ...(city.region === city.name ? [] : [{ kind: 'area', name: `${city.name}ский район` }]),
    { kind: 'locality', name: city.name },
    { kind: 'street', name: street },
    { kind: 'house', name: house },
  ];
  return {
    path: `yandex/${createHash('sha1').update(address).digest('hex')}.json`,
    body: {
      response: {
        GeoObjectCollection: {
          metaDataProperty: { GeocoderResponseMetaData: { request: address, found: '1', results: '10' } },
          featureMember: [
            {
              GeoObject: {
                metaDataProperty: {
                  GeocoderMetaData: {
                    precision: 'exact',
                    text: formatted,
                    kind: 'house',
                    Address: { country_code: 'BY', formatted, Components: components },
                  },
                },
                name: `${street}, ${house}`,
                description: `${city.name}, Беларусь`,
                Point: { pos: `${lon} ${lat}` },
              },
            },
          ],
        },
      },
    },
  };
}
