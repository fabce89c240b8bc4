import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slugOf } from '../support/doc-headings.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs')).flatMap((f) => (f.endsWith('.md') ? [`docs/${f}`] : [])),
];

/** The lines of a markdown file outside fenced code, with their numbers. */
function proseLines(file: string): { line: string; number: number }[] {
  let fenced = false;
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, index) => {
      if (line.startsWith('```')) fenced = !fenced;
      return fenced || line.startsWith('```') ? [] : [{ line, number: index + 1 }];
    });
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOf(file: string): Set<string> {
  const cached = anchorCache.get(file);
  if (cached) return cached;
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { line } of proseLines(file)) {
    const heading = /^#{1,6}\s+(.+?)\s*#*$/.exec(line)?.[1];
    if (heading) {
      const slug = slugOf(heading);
      const repeats = seen.get(slug) ?? 0;
      seen.set(slug, repeats + 1);
      anchors.add(repeats ? `${slug}-${repeats}` : slug);
    }
    for (const [, name] of line.matchAll(/<a (?:name|id)="([^"]+)"/g)) if (name) anchors.add(name);
  }
  anchorCache.set(file, anchors);
  return anchors;
}

/** Every relative link of the README and docs/, with where it is written. */
const links = DOCS.flatMap((doc) =>
  proseLines(join(ROOT, doc)).flatMap(({ line, number }) =>
    [...line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)].flatMap(([, target]) =>
      target && !/^(https?|mailto):/.test(target) ? [{ where: `${doc}:${number}`, doc, target }] : [],
    ),
  ),
);

describe('links between the README and docs/', () => {
  it('are found (the check reads something)', () => {
    expect(links.length).toBeGreaterThan(100);
    expect(links.filter(({ target }) => target.includes('#')).length).toBeGreaterThan(50);
  });

  it('each name a file of the repository that exists, and a heading of it that exists', () => {
    const broken = links.flatMap(({ where, doc, target }) => {
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path ? resolve(dirname(join(ROOT, doc)), path) : join(ROOT, doc);
      if (!file.startsWith(ROOT) || !existsSync(file)) return [`${where}: no file ${target}`];
      if (anchor !== undefined && file.endsWith('.md') && !anchorsOf(file).has(anchor))
        return [`${where}: no heading #${anchor} in ${relative(ROOT, file)}`];
      return [];
    });
    expect(broken).toEqual([]);
  });

  it('reads an anchor as GitHub writes it', () => {
    expect(slugOf('`<instance>-NoAlertsEvaluated`: the alerts evaluated no hour')).toBe(
      'instance-noalertsevaluated-the-alerts-evaluated-no-hour',
    );
    expect(slugOf('Upgrading to lookup rules 2')).toBe('upgrading-to-lookup-rules-2');
    expect(slugOf('SES: sender identity and the sandbox')).toBe('ses-sender-identity-and-the-sandbox');
  });
});
