import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { DAY_MS } from '../../functions/core/time-units.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { writeBlindCategoryRules } from '../support/blind-category-rules.ts';
import { captureIo } from '../support/capture-io.ts';
import { captureIoAt, clockFrom } from '../support/clock-from.ts';
import { readLake } from '../support/lake-contents.ts';

/**
 * How an operator repairs the categories of hours ingested with rules that recognised nothing: a
 * re-pull cannot (a stored record wins the merge), `enrich --category-rules` does, and the lake's
 * evidence (event ids, digest chain) stays whole.
 */
const fromMs = Date.parse('2026-10-01T00:00:00Z');
const toMs = Date.parse('2026-10-02T00:00:00Z');
const credentials = { DOMO_CLIENT_ID: 'cat-client', DOMO_CLIENT_SECRET: 'cat-secret' };
const RANGE = ['--from', '2026-10-01T00:00:00Z', '--to', '2026-10-02T00:00:00Z'];
/** "Now" for the simulator and the ingests: a day after the range, whatever the date (see clockFrom). */
const clock = clockFrom(toMs + DAY_MS);

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-recategorise-'));
  sim = await startSimulator({
    events: generateInstance({ seed: 5, fromMs, toMs, users: 6, eventsPerUserDay: 30 }).events,
    clients: [{ clientId: 'cat-client', clientSecret: 'cat-secret', scopes: ['audit'] }],
    seed: 3,
    clock: clock.now,
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const ingest = (lake: string, extra: string[] = []) =>
  main(
    ['ingest', ...RANGE, '--lake', lake, '--api-base', sim.url, ...extra],
    captureIoAt(clock, credentials).io,
  );

/** Events per category, with each event's id: what the lake says, and what must not move. */
async function categories(lake: string) {
  const { events } = await readLake(new FsObjectStore(lake), 'main');
  const byId = new Map(events.map((event) => [event.event_id, event.category]));
  const count = (category: string) => [...byId.values()].filter((c) => c === category).length;
  return { byId, login: count('login'), other: count('other'), total: byId.size };
}

describe('re-categorising stored events', () => {
  it('is done by enrich --category-rules, not by a re-pull, and keeps ids and the digest chain', async () => {
    const lake = join(dir, 'lake');
    // Every event stored as `other`: enrich with the built-in rules rewrites each hour holding a login.
    const blind = await writeBlindCategoryRules(dir);
    expect(await ingest(lake, ['--category-rules', blind])).toBe(0);
    const blindly = await categories(lake);
    expect(blindly.other).toBe(blindly.total);

    // A re-pull with the built-in rules finds every event stored: the stored records win.
    expect(await ingest(lake)).toBe(0);
    expect((await categories(lake)).login).toBe(0);

    // A geo run leaves categories as stored.
    const geoOnly = captureIo();
    expect(await main(['enrich', '--lake', lake, ...RANGE], geoOnly.io), geoOnly.stderr()).toBe(0);
    expect((await categories(lake)).login).toBe(0);

    const builtIn = join(dir, 'built-in.json');
    await writeFile(builtIn, '[]');
    const run = captureIo();
    expect(
      await main(['enrich', '--lake', lake, ...RANGE, '--category-rules', builtIn], run.io),
      run.stderr(),
    ).toBe(0);
    const fixed = await categories(lake);
    expect(fixed.login).toBeGreaterThan(0);
    expect(run.stdout()).toMatch(
      new RegExp(`--category-rules changed the category of ${fixed.total - fixed.other} record\\(s\\);`),
    );
    expect([...fixed.byId.keys()].sort()).toEqual([...blindly.byId.keys()].sort());

    const verify = captureIo();
    expect(await main(['verify', '--lake', lake, '--integrity'], verify.io), verify.stdout()).toBe(0);
    // Done again, nothing changes; a later re-pull keeps the new categories.
    const again = captureIo();
    expect(await main(['enrich', '--lake', lake, ...RANGE, '--category-rules', builtIn], again.io)).toBe(0);
    expect(again.stdout()).toMatch(/0 rewritten .*changed the category of 0 record\(s\)/);
    expect(await ingest(lake)).toBe(0);
    expect((await categories(lake)).byId).toEqual(fixed.byId);
  });

  it('refuses a bad rules file before touching the lake (exit 2)', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"rule": []}');
    const { io, stderr } = captureIo();
    expect(await main(['enrich', '--lake', join(dir, 'lake'), ...RANGE, '--category-rules', bad], io)).toBe(
      2,
    );
    expect(stderr()).toMatch(
      /^error: --category-rules ".*bad\.json": unknown key\(s\) "rule" \(did you mean "rules"\?\); remove them or fix the spelling\. Expected a JSON array of rules/,
    );
  });
});
