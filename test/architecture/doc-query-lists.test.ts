import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README and docs/architecture.md each say what the query catalog answers in their
 * "**Queries**" item, written by hand: a query added to functions/queries/ went unlisted there
 * while docs/queries.md (held by test/queries/catalog.test.ts) had its section. Each item names
 * every query of the catalog, and none that is not one.
 */

const repo = path.resolve(import.meta.dirname, '../..');
const catalog = readdirSync(path.join(repo, 'functions/queries'))
  .filter((file) => file.endsWith('.sql'))
  .map((file) => file.slice(0, -'.sql'.length))
  .sort();

/** The "- **Queries**" item of a page: its lines up to the next item or the end of the list. */
function queriesItem(file: string): string {
  const lines = readFileSync(path.join(repo, file), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith('- **Queries**'));
  if (start < 0) throw new Error(`${file} has no "- **Queries**" item: put the catalog's list back`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => !line.startsWith('  '));
  return [lines[start], ...rest.slice(0, end < 0 ? rest.length : end)].join(' ');
}

/** The query names an item quotes as code: `name`, or [`name`](…#name). */
const quotedNames = (item: string): string[] =>
  [...item.matchAll(/`([a-z][a-z0-9_]*)`/g)].map((m) => m[1] as string);

describe('the pages that sum up the query catalog', () => {
  it('reads the catalog', () => {
    expect(catalog).toContain('most_active_users');
  });

  for (const file of ['README.md', 'docs/architecture.md']) {
    it(`${file} names every catalog query, and only those, in its Queries item`, () => {
      const named = quotedNames(queriesItem(file));
      const list = catalog.map((name) => `\`${name}\``).join(', ');
      expect(
        catalog.filter((name) => !named.includes(name)),
        `${file}'s "**Queries**" item must name each query of functions/queries/ (${list})`,
      ).toEqual([]);
      expect(
        named.filter((name) => !catalog.includes(name)),
        `${file}'s "**Queries**" item names queries functions/queries/ has not`,
      ).toEqual([]);
    });
  }
});
