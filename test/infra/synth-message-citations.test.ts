import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The TypeScript files under `dir`, recursively. */
const sourcesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });

/**
 * Every `docs/<file>.md, "<section>"` or `README, "<section>"` the app's messages send a reader to
 * (synth's refusals, warnings and notes, alarm descriptions), with a written title: those built
 * from a constant (`"${RUNBOOK.lag}"`) are alarm-runbooks.test.ts's.
 */
const citations = sourcesUnder(join(ROOT, 'infra')).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/(docs\/[\w-]+\.md|README(?:\.md)?),? \\?"([^"\\]+)\\?"/g)].flatMap(
    ([, doc, section]) =>
      doc && section && !section.includes('${')
        ? [{ where: relative(ROOT, file), doc: doc.startsWith('README') ? 'README.md' : doc, section }]
        : [],
  ),
);

/**
 * What a reader can find in `doc` as `section`: a heading that starts with it (code marks and a
 * step's number there or left out: README's "2. Configure `cdk.json`" is "Configure cdk.json" too), or a
 * paragraph led by it in bold (configuration.md's **How many fit.**).
 */
function finds(doc: string, section: string): boolean {
  const text = readFileSync(join(ROOT, doc), 'utf8');
  const headings = [...text.matchAll(/^#{1,6}\s+(.+)$/gm)].flatMap(([, heading]) => {
    const read = (heading ?? '').replaceAll('`', '');
    return [read, read.replace(/^\d+\.\s+/, '')];
  });
  return headings.some((heading) => heading.startsWith(section)) || text.includes(`**${section}`);
}

describe('the sections synth messages cite', () => {
  it('are found (the check reads something)', () => {
    expect(citations.length).toBeGreaterThan(5);
  });

  it('each exist in the document they name, so a reader who looks finds them', () => {
    const missing = citations.flatMap(({ where, doc, section }) =>
      finds(doc, section) ? [] : [`${where}: ${doc} has no section "${section}"`],
    );
    expect(missing).toEqual([]);
  });
});
