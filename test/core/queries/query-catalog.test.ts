import { describe, expect, it } from 'vitest';
import { QueryCatalog, UnknownQueryError } from '../../../functions/core/queries/query-catalog.ts';

const texts = {
  by_user: [
    '-- by_user: events of one user.',
    '-- params: instance, user_id, from_dt',
    'SELECT * FROM activity_log WHERE dt >= ? /* from_dt */ AND instance = ? /* instance */',
    'AND user_id = ? /* user_id */ AND instance = ? /* instance */',
  ].join('\n'),
  broken: '-- broken: has no params line.\nSELECT 1',
};

describe('QueryCatalog (texts in, parsed queries out, no files)', () => {
  const catalog = new QueryCatalog(texts, 'test texts');

  it('lists its names in order and parses a query on first use', () => {
    expect(catalog.names).toEqual(['broken', 'by_user']);
    expect(catalog.get('by_user')).toMatchObject({
      description: 'events of one user.',
      params: ['instance', 'user_id', 'from_dt'],
      placeholders: ['from_dt', 'instance', 'user_id', 'instance'],
    });
    expect(catalog.get('by_user')).toBe(catalog.get('by_user'));
  });

  it('binds named values to the placeholders in text order, repeating a name where the SQL does', () => {
    const { positional } = catalog.bind('by_user', {
      instance: 'acme',
      user_id: '42',
      from_dt: '2026-10-01',
      unused: 'ignored',
    });
    expect(positional).toEqual(['2026-10-01', 'acme', '42', 'acme']);
  });

  it('names a missing or malformed parameter instead of binding it', () => {
    expect(() => catalog.bind('by_user', { instance: 'acme', from_dt: '2026-10-01' })).toThrow(
      'query by_user needs parameter "user_id" (it takes: instance, user_id, from_dt)',
    );
    expect(() => catalog.bind('by_user', { instance: 'acme', user_id: '1', from_dt: '1 Oct' })).toThrow(
      'query by_user: from_dt "1 Oct" must be a date YYYY-MM-DD',
    );
  });

  it('refuses an unknown name, listing the known ones, and a broken file only when it is used', () => {
    expect(() => catalog.get('toString')).toThrow(UnknownQueryError);
    expect(() => catalog.get('nope')).toThrow('no query "nope"; the catalog has: broken, by_user');
    expect(() => new QueryCatalog({}, '/bundle').get('nope')).toThrow(
      /the query catalog at \/bundle has no .sql files/,
    );
    expect(() => catalog.get('broken')).toThrow(/query broken.sql has no "-- params:" header line/);
  });
});
