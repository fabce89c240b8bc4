/**
 * The demo outputs docs/queries.md shows under a query's own section (`### <query>`) print its
 * columns as the query does: in its order, and, in a CSV header, side by side unless a `…` marks
 * the columns cut between them. user_addresses' example predated its `network` and local-time
 * columns, and admin_changes' and address_activity's their `local_time`, with nothing to say so.
 * The values come from one demo run and stay as printed; the columns are the SQL's, so they are
 * pinned.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadQuery, QUERY_NAMES } from '../../functions/queries/catalog.ts';

interface Block {
  line: number;
  query: string;
  kind: string;
  body: string[];
}

/** The fenced blocks of `text`, each with the query whose section holds it, if any. */
function blocks(text: string): Block[] {
  const lines = text.split('\n');
  const found: Block[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    section = /^#{2,4} (\S+)$/.exec(lines[i] ?? '')?.[1] ?? section;
    const open = /^```(\w*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]?.startsWith('```'); i++) body.push(lines[i] ?? '');
    if (QUERY_NAMES.includes(section))
      found.push({ line: start + 1, query: section, kind: open[1] || 'plain', body });
  }
  return found;
}

/** The column names a block prints, `…` where it cut some: a CSV's or a table's header, a JSON's keys. */
function printed(block: Block): string[] {
  const first = block.body[0] ?? '';
  if (block.kind === 'csv') return first.split(',');
  if (block.kind === 'json')
    return [...block.body.join('\n').matchAll(/"(\w+)":|…/g)].map((m) => m[1] ?? '…');
  if (block.kind === 'text' || block.kind === 'plain') return first.trim().split(/\s+/);
  return [];
}

/** What is wrong with the columns a block prints against the query's, in words; none when right. */
function misprinted(block: Block): string[] {
  const columns = loadQuery(block.query).columns;
  const shown = printed(block);
  const problems: string[] = [];
  let previous = -1;
  let cut = true;
  for (const name of shown) {
    if (name === '…') {
      cut = true;
      continue;
    }
    const at = columns.indexOf(name);
    if (at < 0) problems.push(`${name} is no column`);
    else if (at <= previous) problems.push(`${name} out of order`);
    else if (block.kind === 'csv' && !cut && at !== previous + 1)
      problems.push(`${columns.slice(previous + 1, at).join(', ')} missing before ${name} (no … there)`);
    if (at >= 0) previous = at;
    cut = false;
  }
  return problems;
}

describe("docs/queries.md's demo outputs print each query's columns", () => {
  const docs = readFileSync(path.join(import.meta.dirname, '../../docs/queries.md'), 'utf8');
  const shown = blocks(docs).filter((b) => printed(b).some((name) => name !== '…' && /^[a-z_]+$/.test(name)));

  it('finds the outputs of the queries that show one', () => {
    expect(new Set(shown.map((b) => b.query)).size).toBeGreaterThan(15);
  });

  it('in the order the query gives them, none left out unmarked in a CSV', () => {
    const wrong = shown.flatMap((b) =>
      misprinted(b).map((p) => `docs/queries.md:${b.line} (${b.query}): ${p}`),
    );
    expect(wrong).toEqual([]);
  });
});
