import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VERIFY_FINDING_RUNBOOKS } from '../../functions/cli/verify-runbooks.ts';
import { coverageKey } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { TODAY_INGESTED_AT, TODAY_START, todayLake, verifyAt } from '../support/verify-today-lake.ts';

// Review STATUS2: the text of a failing verify names the section of docs/operations.md for each
// kind of finding, but --json, which scripts and alarms read, carried none of them.

let dir: string;
let lake: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-json-runbooks-'));
  lake = join(dir, 'lake');
  expect((await todayLake(lake)).failures).toEqual([]);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const NOW = TODAY_INGESTED_AT + 5 * 60_000;

it('carries no runbooks on a report that passes', async () => {
  const json = await verifyAt(lake, NOW, ['--json']);
  expect(json.code, json.stderr).toBe(0);
  expect(JSON.parse(json.stdout)).not.toHaveProperty('runbooks');
});

it("names the text's sections, with the kinds of finding each is for, on a report that fails", async () => {
  await rm(join(lake, ...coverageKey('acme', TODAY_START + 4 * HOUR_MS).split('/')));
  await writeFile(join(lake, ...coverageKey('acme', TODAY_START + 6 * HOUR_MS).split('/')), '{');
  const json = await verifyAt(lake, NOW, ['--json']);
  expect(json.code).toBe(1);
  const { gap } = VERIFY_FINDING_RUNBOOKS;
  expect(JSON.parse(json.stdout).runbooks).toEqual([
    { doc: 'docs/operations.md', section: gap.heading, findings: ['gap', 'unreadable'] },
  ]);
  const text = await verifyAt(lake, NOW, []);
  expect(text.stdout).toContain(`what to do (gap, unreadable): see docs/operations.md "${gap.heading}"`);
});
