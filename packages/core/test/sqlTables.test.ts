import { describe, expect, it } from 'vitest';
import { tablesReadBy } from '../src/index.ts';

describe('tablesReadBy', () => {
  it('names the tables a statement reads after from and join, not a compared column', () => {
    const sql = `insert into dim.users select u.id from stage.users u
      left join stage.cards c on c.user_id = u.id -- from old.comment
      where u.updated is distinct from c.updated or u.x is not distinct from c.x`;
    expect(tablesReadBy(sql)).toEqual(['stage.cards', 'stage.users']);
  });
});
