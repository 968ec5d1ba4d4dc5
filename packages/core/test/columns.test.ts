import { describe, expect, it } from 'vitest';
import { AssetGraph, type ColumnSpec, DefinitionError } from '../src/index.ts';
import { asset } from './helpers.ts';

const stations = asset('raw.stations', {
  columns: [
    { name: 'station_id', type: 'integer', description: 'The station.' },
    { name: 'district', type: 'text' },
  ],
});
const trips = asset('raw.trips', { columns: [{ name: 'from_station' }, { name: 'minutes' }] });

const cleanTrips = (columns: ColumnSpec[], deps: string[] = ['raw.trips', 'raw.stations']) =>
  asset('clean.trips', { deps, columns });

describe('column docs and lineage', () => {
  it('normalises declared columns, with from always given, and none by default', () => {
    expect(stations.columns).toEqual([
      { name: 'station_id', type: 'integer', description: 'The station.', from: [] },
      { name: 'district', type: 'text', from: [] },
    ]);
    expect(asset('raw.other').columns).toEqual([]);
  });

  it('refuses bad names, repeats and keys that are not asset keys, naming the asset and field', () => {
    expect(() => asset('stage.a', { columns: [{ name: 'Amount' }] })).toThrow(
      /asset "stage.a": columns.0.name: expected a lower-case SQL identifier/,
    );
    expect(() => asset('stage.a', { columns: [{ name: 'id' }, { name: 'id' }] })).toThrow(
      /asset "stage.a": columns: column "id" is declared twice/,
    );
    expect(() =>
      asset('stage.a', { columns: [{ name: 'id', from: [{ asset: 'payments', column: 'id' }] }] }),
    ).toThrow(/asset "stage.a": columns.0.from.0.asset: expected dotted lower-case names/);
    const twice = { asset: 'raw.trips', column: 'minutes' };
    expect(() => asset('stage.a', { columns: [{ name: 'm', from: [twice, twice] }] })).toThrow(
      /columns.0.from: "raw.trips.minutes" is named twice/,
    );
    expect(() => asset('stage.a', { columns: [{ name: 'm', description: '  ' }] })).toThrow(DefinitionError);
  });

  it('leaves the code version alone: columns are documentation', () => {
    const plain = cleanTrips([]);
    const documented = cleanTrips([
      {
        name: 'district',
        type: 'text',
        description: 'Where it started.',
        from: [{ asset: 'raw.stations', column: 'district' }],
      },
    ]);
    expect(documented.codeVersion).toBe(plain.codeVersion);
  });

  it('refuses a reference to an unknown asset or to one not upstream, naming asset, column and reference', () => {
    const graph = (columns: ColumnSpec[], deps?: string[]) => () =>
      new AssetGraph([stations, trips, cleanTrips(columns, deps)]);
    expect(graph([{ name: 'district', from: [{ asset: 'raw.stationz', column: 'district' }] }])).toThrow(
      'asset "clean.trips": column "district" comes from "raw.stationz.district", an unknown asset (did you mean "raw.stations"?)',
    );
    expect(
      graph([{ name: 'district', from: [{ asset: 'raw.stations', column: 'district' }] }], ['raw.trips']),
    ).toThrow(
      'asset "clean.trips": column "district" comes from "raw.stations.district", but "clean.trips" does not depend on "raw.stations": add it to deps',
    );
    // The upstream column is not checked: an upstream may document some of its columns, or none.
    expect(
      graph([{ name: 'district', from: [{ asset: 'raw.stations', column: 'capacity' }] }]),
    ).not.toThrow();
    expect(
      () =>
        new AssetGraph([
          asset('raw.events'),
          asset('clean.events', {
            deps: ['raw.events'],
            columns: [{ name: 'x', from: [{ asset: 'raw.events', column: 'x' }] }],
          }),
        ]),
    ).not.toThrow();
  });

  it('tells which downstream columns read a column, in topological order', () => {
    const graph = new AssetGraph([
      asset('report.station_daily', {
        deps: ['clean.trips'],
        columns: [
          { name: 'district', from: [{ asset: 'clean.trips', column: 'district' }] },
          { name: 'minutes', from: [{ asset: 'clean.trips', column: 'minutes' }] },
        ],
      }),
      cleanTrips([
        { name: 'district', from: [{ asset: 'raw.stations', column: 'district' }] },
        {
          name: 'minutes',
          from: [
            { asset: 'raw.trips', column: 'minutes' },
            { asset: 'raw.trips', column: 'from_station' },
          ],
        },
      ]),
      stations,
      trips,
    ]);
    expect(graph.downstreamColumns('raw.trips', 'minutes')).toEqual([
      { asset: 'clean.trips', column: 'minutes' },
    ]);
    expect(graph.downstreamColumns('raw.trips', 'from_station')).toEqual([
      { asset: 'clean.trips', column: 'minutes' },
    ]);
    expect(graph.downstreamColumns('clean.trips', 'district')).toEqual([
      { asset: 'report.station_daily', column: 'district' },
    ]);
    expect(graph.downstreamColumns('raw.stations', 'station_id')).toEqual([]);
    expect(graph.downstreamColumns('report.station_daily', 'district')).toEqual([]);
  });
});
