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
