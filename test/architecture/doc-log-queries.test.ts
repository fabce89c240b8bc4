import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every `.ts` file below `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** The functions' code, one text per file. */
const sources: string[] = sourceFiles(path.join(ROOT, 'functions')).map((file) => readFileSync(file, 'utf8'));

/** Whether the code holds `text` as a whole string literal, or (`whole` false) one that starts with it. */
const logged = (text: string, whole: boolean): boolean =>
  sources.some((source) =>
    ["'", '"', '`'].some((quote) => source.includes(whole ? `${quote}${text}${quote}` : `${quote}${text}`)),
  );

const docs = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).map((name) => path.join('docs', name))]
  .filter((name) => name.endsWith('.md'))
  .map((name) => ({ name, text: readFileSync(path.join(ROOT, name), 'utf8') }));

/** The Logs Insights filters on `message` that the docs give operators to copy. */
const filters = docs.flatMap(({ name, text }) => [
  ...[...text.matchAll(/filter message = "([^"]+)"/g)].map((m) => ({ name, text: m[1] ?? '', whole: true })),
  ...[...text.matchAll(/filter message like \/\^([^/]+)\//g)].map((m) => ({
    name,
    text: m[1] ?? '',
    whole: false,
  })),
]);

// An operator pastes these into CloudWatch Logs Insights, where `=` compares the whole message: a
// filter that names a shorter text than the code logs finds nothing, and says nothing about it.
describe('the log queries the docs give', () => {
  it('are found in the docs', () => {
    expect(filters.length).toBeGreaterThanOrEqual(2);
  });

  it.each(filters)('$name: "$text" matches a message the code logs', ({ text, whole }) => {
    expect(logged(text, whole), `no string in functions/ ${whole ? 'is' : 'starts with'} "${text}"`).toBe(
      true,
    );
  });
});
