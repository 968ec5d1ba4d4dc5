import { describe, expect, it } from 'vitest';
import { AssetGraph, resolveSelection, SelectionError } from '../src/index.ts';
import { asset } from './helpers.ts';

//   stage.a ─► dimension.b ─► bi.c ─► mart.e
//   stage.d ────────────────► bi.c
const graph = new AssetGraph([
  asset('stage.a'),
  asset('stage.d'),
  asset('dimension.b', { deps: ['stage.a'] }),
  asset('bi.c', { deps: ['dimension.b', 'stage.d'] }),
  asset('mart.e', { deps: ['bi.c'] }),
]);

const select = (selection: string) => [...resolveSelection(graph, selection)].sort();

describe('selection syntax', () => {
  it.each([
    ['bi.c', ['bi.c']],
    ['+bi.c', ['bi.c', 'dimension.b', 'stage.a', 'stage.d']],
    ['1+bi.c', ['bi.c', 'dimension.b', 'stage.d']],
    ['dimension.b+', ['bi.c', 'dimension.b', 'mart.e']],
    ['dimension.b+1', ['bi.c', 'dimension.b']],
    ['+dimension.b+', ['bi.c', 'dimension.b', 'mart.e', 'stage.a']],
    ['group:stage', ['stage.a', 'stage.d']],
    ['group:stage+1', ['dimension.b', 'stage.a', 'stage.d', 'bi.c'].sort()],
    ['stage.*', ['stage.a', 'stage.d']],
    ['*', ['bi.c', 'dimension.b', 'mart.e', 'stage.a', 'stage.d']],
    ['stage.a, mart.e', ['mart.e', 'stage.a']],
    ['stage.a mart.e,bi.c', ['bi.c', 'mart.e', 'stage.a']],
  ])('%s', (selection, expected) => {
    expect(select(selection)).toEqual(expected);
  });

  it('suggests the nearest keys for an unknown one', () => {
    expect(() => select('bi.d')).toThrow(SelectionError);
    expect(() => select('dimension.bb')).toThrow(
      /unknown asset "dimension.bb" \(did you mean "dimension.b"\?\)/,
    );
  });

  it('suggests the nearest group', () => {
    expect(() => select('group:stag')).toThrow(/no group "stag" in "group:stag" \(did you mean "stage"\?\)/);
  });

  it('rejects an empty selection and a glob that matches nothing', () => {
    expect(() => select(' , ')).toThrow(/empty/);
    expect(() => select('raw.*')).toThrow(/no asset matches "raw.\*"/);
  });
});

describe("selection by a model's own name", () => {
  //   raw.trips ─► clean.trips ─► report.trips_daily
  //   raw.stations ─────────────► report.trips_daily
  const named = new AssetGraph([
    asset('raw.trips'),
    asset('raw.stations'),
    asset('clean.trips', { deps: ['raw.trips'] }),
    asset('report.trips_daily', { deps: ['clean.trips', 'raw.stations'] }),
  ]);
  const selectIn = (selection: string) => [...resolveSelection(named, selection)].sort();

  it.each([
    ['stations', ['raw.stations']],
    ['trips_daily', ['report.trips_daily']],
    ['+trips_daily', ['clean.trips', 'raw.stations', 'raw.trips', 'report.trips_daily']],
    ['1+trips_daily', ['clean.trips', 'raw.stations', 'report.trips_daily']],
    ['stations+', ['raw.stations', 'report.trips_daily']],
    ['stations, trips_daily', ['raw.stations', 'report.trips_daily']],
  ])('%s', (selection, expected) => {
    expect(selectIn(selection)).toEqual(expected);
  });

  it('refuses a name several assets share, naming them', () => {
    expect(() => selectIn('trips')).toThrow(SelectionError);
    expect(() => selectIn('trips+')).toThrow(
      /"trips" is the name of several assets: "clean\.trips", "raw\.trips"; give the full key/,
    );
  });

  it('takes an exact key as it is, though its name is shared', () => {
    expect(selectIn('clean.trips')).toEqual(['clean.trips']);
    expect(selectIn('raw.trips+')).toEqual(['clean.trips', 'raw.trips', 'report.trips_daily']);
  });

  it('still suggests the nearest keys for an unknown name', () => {
    expect(() => selectIn('stattions')).toThrow(
      /unknown asset "stattions" \(did you mean "raw.stations"\?\)/,
    );
  });
});
