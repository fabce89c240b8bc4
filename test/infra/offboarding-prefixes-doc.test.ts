import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as layout from '../../functions/core/lake/layout.ts';
import { EXPIRING_FOLDERS } from '../../infra/constructs/lake-expiry.ts';

/**
 * docs/operations.md, "Offboarding a customer", lists the folders to delete for a customer whose
 * data must go: a folder of the instance's that the list leaves out keeps its personal data for
 * good (review MSP, 2026-12-07). The folders come from the layout's one-instance prefixes and from
 * every `<folder>/instance=` the product's sources spell, so a folder added anywhere is asked for.
 */

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );

/** The top folders the layout's one-argument `…Prefix` functions and the tables name. */
function layoutFolders(): string[] {
  const prefixes = Object.entries(layout)
    .filter(([name, value]) => name.endsWith('Prefix') && typeof value === 'function' && value.length === 1)
    .map(([, value]) => (value as (instance: string) => string)('acme'));
  return [
    ...prefixes.map((prefix) => prefix.split('/')[0] as string),
    ...Object.values(layout.TABLE_PREFIXES),
  ];
}

/** Every `<folder>/instance=` written in the product's sources (a test's `x/instance=` aside). */
function spelledFolders(): string[] {
  const text = sourceFiles('functions')
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  return [...text.matchAll(/\b([a-z][a-z_-]+)\/instance=/g)].map((match) => match[1] as string);
}

const operations = readFileSync('docs/operations.md', 'utf8');
const offboarding = operations.slice(
  operations.indexOf('- **Offboarding a customer**'),
  operations.indexOf('### A mistyped instance name'),
);

describe('offboarding a customer', () => {
  it('deletes every folder an instance has', () => {
    const folders = [...new Set([...layoutFolders(), ...spelledFolders()])].sort();
    expect(folders).toEqual(expect.arrayContaining(['activity_log', 'alerts-state', 'digest', 'state']));
    const listed = [...offboarding.matchAll(/`([a-z_-]+)\/instance=<i>\/`/g)].map((match) => match[1]);
    expect(folders.filter((folder) => !listed.includes(folder))).toEqual([]);
  });

  it('deletes state/ last: its binding and checkpoint say the instance was there until then', () => {
    const listed = [...offboarding.matchAll(/`([a-z_-]+)\/instance=<i>\/`/g)].map((match) => match[1]);
    expect(listed.at(-1)).toBe('state');
  });

  // It said alerts-state/ was expired by none of retention.maxDays' rules, long after
  // "retention.maxDays expires the alerts' state too" made it one of them.
  it("says of no folder that retention.maxDays leaves it when the stack's expiry ends it", () => {
    const unexpired = [
      ...offboarding.matchAll(/`([a-z_-]+)\/instance=<i>\/` \([^)]*none of\s+`retention\.maxDays`/g),
    ];
    expect(
      unexpired.map((match) => match[1]).filter((folder) => EXPIRING_FOLDERS.includes(folder as string)),
    ).toEqual([]);
  });
});
