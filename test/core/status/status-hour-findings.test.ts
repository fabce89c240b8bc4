import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../functions/adapters/fs-store.ts';
import { defaultIngestConfig } from '../../../functions/core/ingest/ingest-config.ts';
import { recordLastRun } from '../../../functions/core/ingest/record-last-run.ts';
import { runIngest } from '../../../functions/core/ingest/run-ingest.ts';
import { digestKey } from '../../../functions/core/lake/layout.ts';
import { DAY_MS, HOUR_MS } from '../../../functions/core/time-units.ts';
import { dirPerTest } from '../../support/dir-per-test.ts';
import { MemoryAuditSource, viewEntry } from '../../support/memory-audit-source.ts';
import { quietIngestDeps } from '../../support/quiet-ingest-deps.ts';
import { NO_HOUR_FINDINGS, statusAt } from '../../support/status-at.ts';
import {
  BACKFILL_DAY0_MS,
  BACKFILL_RUN_AT_MS,
  ingestTwoDayBackfill,
} from '../../support/two-day-backfill-lake.ts';

// Review F-EVID10 2: status counted manifests only. The lake's oldest hours deleted, an events
// object deleted under its manifest, went unseen; one unreadable manifest failed the whole status.

const day0 = BACKFILL_DAY0_MS;
const RUN_AT = BACKFILL_RUN_AT_MS;
const NOW = RUN_AT + 10 * 60_000;
const day = (dir: string, table: string, date = '2026-10-01') =>
  join(dir, `${table}/instance=acme/dt=${date}`);
// An hour of the backfill pulled more than a day after it ended: no run goes back for it (the hours
// of 2026-10-01 are each due their later pull, a day after they ended: status-awaiting-repull.test.ts).
const OLD_HOUR_MS = day0 - 20 * HOUR_MS;
const oldManifest = (dir: string) => join(day(dir, 'coverage', '2026-09-30'), '2026-09-30T04.json');

let dir: string;
let lake: string;
dirPerTest('status-hours-', async (made) => {
  dir = made;
  lake = join(dir, 'lake');
  await ingestTwoDayBackfill(lake);
});

const status = () => statusAt(new FsObjectStore(lake), 'acme', NOW);

/** The schedule's first run (a day of backfill) after the ranges in `store`: no hour uncovered. */
async function expectScheduleCleanAfter(store: FsObjectStore, quiet: MemoryAuditSource) {
  const summary = await runIngest(quietIngestDeps(quiet, store, RUN_AT), {
    ...defaultIngestConfig('acme'),
    backfillDays: 1,
  });
  await recordLastRun(store, summary, RUN_AT);
  const { status: s, table } = await statusAt(store, 'acme', NOW);
  expect(s.hours?.uncovered).toEqual([]);
  expect(table).not.toContain('DAMAGED');
}

describe('status on hours deleted or edited', () => {
  it('is clean on the lake as the ingest left it', async () => {
    const { status: s, table } = await status();
    expect(s.hours).toEqual(NO_HOUR_FINDINGS);
    expect(table).not.toContain('DAMAGED');
  });

  it('tells an unreadable manifest as a finding of its hour, and goes on', async () => {
    await writeFile(join(day(lake, 'coverage'), '2026-10-01T03.json'), '{"window_start_ms":');
    const { status: s, table } = await status();
    expect(s.hours?.unreadableManifests.map((u) => u.hourMs)).toEqual([day0 + 3 * HOUR_MS]);
    expect(table).toContain('DAMAGED');
    expect(table).toContain('1 manifest(s) of the last 7 days cannot be read (2026-10-01 03:00Z');
  });

  it('tells an events object deleted under its manifest', async () => {
    await rm(join(day(lake, 'activity_log'), '2026-10-01T05.ndjson.gz'));
    const { status: s, table } = await status();
    expect(s.hours?.eventsGone).toEqual([day0 + 5 * HOUR_MS]);
    expect(table).toContain('DAMAGED');
    expect(table).toContain('counts events but no events object (2026-10-01 05:00Z)');
  });

  // Review ONCALL: a manifest removed below the watermark left status `ok`, exit 0, with "run verify
  // for the gaps": no scheduled run goes back for such an hour, so it stayed a gap unless asked.
  it('tells an hour below the watermark whose manifest is gone, and its runbook', async () => {
    await rm(oldManifest(lake));
    const { status: s, table } = await status();
    expect(s.hours?.uncovered).toEqual([OLD_HOUR_MS]);
    expect(table).toContain('DAMAGED');
    expect(table.replace(/\s+/g, ' ')).toContain(
      'below the watermark have no manifest (2026-09-30 04:00Z): a manifest removed, or hours never stored under a watermark that moved past them, and no scheduled run goes back for them',
    );
    expect(table).not.toContain('run verify for the gaps');
    expect(table.replace(/\s+/g, ' ')).toContain('see docs/operations.md, section "verify reports a gap');
  });

  // Review STATUS2: a range pulled before the lake's first hour moved that first hour back, and the
  // hours between the range and the schedule's first run, which no checkpoint ever said it held,
  // read as manifests removed: DAMAGED, exit 1, for a week.
  it("takes no hour before the schedule's first run for one removed", async () => {
    const store = new FsObjectStore(lake);
    const range = { fromMs: day0 - 3 * DAY_MS, toMs: day0 - 2 * DAY_MS };
    await runIngest(quietIngestDeps(new MemoryAuditSource([]), store, RUN_AT), defaultIngestConfig('acme'), {
      range,
    });
    const { status: s, table } = await status();
    expect(s.hours?.uncovered).toEqual([]);
    expect(table).not.toContain('DAMAGED');
    expect(table).toContain('run verify for the gaps');
    // A manifest removed after the schedule's first hour is still one.
    await rm(oldManifest(lake));
    expect((await status()).status.hours?.uncovered).toEqual([OLD_HOUR_MS]);
  });

  it('finds where the schedule began past ranges pulled before it', async () => {
    const other = join(dir, 'ranges-first');
    const store = new FsObjectStore(other);
    const quiet = new MemoryAuditSource([]);
    for (const back of [5, 4])
      await runIngest(quietIngestDeps(quiet, store, RUN_AT - DAY_MS), defaultIngestConfig('acme'), {
        range: { fromMs: day0 - back * DAY_MS, toMs: day0 - back * DAY_MS + HOUR_MS },
      });
    await expectScheduleCleanAfter(store, quiet);
  });

  // Review STATUS4: a range writes a digest for each hour it stores, so a range of more than 32
  // hours before the schedule hid its first digest from a search of the first 32, and the hours
  // between the range and the schedule's first read DAMAGED.
  it('finds where the schedule began past a range of more digests than 32', async () => {
    const other = join(dir, 'long-range-first');
    const store = new FsObjectStore(other);
    const quiet = new MemoryAuditSource([]);
    const fromMs = day0 - 5 * DAY_MS;
    await runIngest(quietIngestDeps(quiet, store, RUN_AT - DAY_MS), defaultIngestConfig('acme'), {
      range: { fromMs, toMs: fromMs + 40 * HOUR_MS },
    });
    expect((await readdir(join(other, 'digest/instance=acme'))).length).toBeGreaterThan(33);
    await expectScheduleCleanAfter(store, quiet);
  });

  // Review STATUS6: status took the schedule's start from the digest its search found, whatever it
  // said: a digest edited to begin after now cleared every hour before it, and a manifest removed
  // under the schedule read `ok`. Such a digest, or one that does not say, leaves the start unknown.
  describe("with the schedule's first digest edited or unsaid", () => {
    /**
     * A range of 40 digests, then the schedule (2 days; `again`: and its next run, an hour later, which
     * stores an event late into its lookback), a manifest removed under it; the chain.
     */
    async function rangeThenSchedule(again = false) {
      const other = join(dir, 'range-then-schedule');
      const store = new FsObjectStore(other);
      const quiet = new MemoryAuditSource([]);
      const fromMs = day0 - 5 * DAY_MS;
      await runIngest(quietIngestDeps(quiet, store, RUN_AT - DAY_MS), defaultIngestConfig('acme'), {
        range: { fromMs, toMs: fromMs + 40 * HOUR_MS },
      });
      const summary = await runIngest(quietIngestDeps(quiet, store, RUN_AT), {
        ...defaultIngestConfig('acme'),
        backfillDays: 2,
      });
      await recordLastRun(store, summary, RUN_AT);
      if (again) {
        const later = RUN_AT + HOUR_MS;
        // An event late into the lookback: the run stores it, and writes its digests.
        const late = new MemoryAuditSource([viewEntry(day0 + 6 * HOUR_MS + 60_000, 1)]);
        const next = await runIngest(quietIngestDeps(late, store, later), defaultIngestConfig('acme'));
        await recordLastRun(store, next, later);
      }
      await rm(oldManifest(other));
      const chain = join(other, 'digest/instance=acme');
      const names = (await readdir(chain)).filter((n) => n.endsWith('.json')).sort();
      const digests = await Promise.all(
        names.map(async (n) => ({
          path: join(chain, n),
          json: JSON.parse(await readFile(join(chain, n), 'utf8')),
        })),
      );
      const edit = (d: { path: string; json: Record<string, unknown> }, change: Record<string, unknown>) =>
        writeFile(d.path, JSON.stringify({ ...d.json, ...change }));
      return { store, digests, edit };
    }

    it('finds the removed manifest as the chain stands', async () => {
      const { store } = await rangeThenSchedule();
      const { hours } = (await statusAt(store, 'acme', NOW)).status;
      expect(hours?.uncovered).toEqual([OLD_HOUR_MS]);
      expect(hours?.scheduleStartUnlinked).toBeUndefined();
    });

    // Review CHAIN2: only digest 0's link was judged. The schedule's first digest after a lake's
    // ranges, edited to begin later (still before it was written and before now), cleared the hours
    // before its new start of a manifest removed: `ok`, exit 0.
    it('is DAMAGED on a first scheduled digest moved on, which the next digest does not name', async () => {
      const { store, digests, edit } = await rangeThenSchedule();
      const at = digests.findIndex((d) => d.json.mode === 'checkpoint');
      const first = digests[at];
      if (first === undefined) throw new Error('no scheduled digest');
      expect(first.json.from_ms).toBeLessThan(OLD_HOUR_MS);
      await edit(first, { from_ms: OLD_HOUR_MS + HOUR_MS });
      const { status: s, table } = await statusAt(store, 'acme', NOW);
      expect(s.hours?.uncovered).toContain(OLD_HOUR_MS);
      expect(s.hours?.scheduleStartUnlinked).toBe(digestKey('acme', at));
      expect(s.hours?.startUnlinked).toBeUndefined();
      expect(table).toContain('DAMAGED');
      expect(table.replace(/\s+/g, ' ')).toContain(
        `acme: ${digestKey('acme', at)}, the schedule's first digest after the ranges the lake began with, is not the one the next digest names`,
      );
      expect(table.replace(/\s+/g, ' ')).toContain(
        'see docs/operations.md, section "verify --integrity reports broken-link',
      );
    });

    it("is DAMAGED when the schedule's first digests are edited into a range's, so the search passes them", async () => {
      const { store, digests, edit } = await rangeThenSchedule(true);
      const hidden = digests.filter(
        (d) => d.json.mode === 'checkpoint' && Number(d.json.from_ms) <= OLD_HOUR_MS,
      );
      expect(hidden.length).toBeGreaterThan(0);
      for (const d of hidden) await edit(d, { mode: 'range', checkpoint_seen: false });
      const found = digests.findIndex((d) => d.json.mode === 'checkpoint' && !hidden.includes(d));
      const { status: s, table } = await statusAt(store, 'acme', NOW + HOUR_MS);
      expect(s.hours?.uncovered).toContain(OLD_HOUR_MS);
      expect(s.hours?.scheduleStartUnlinked).toBe(digestKey('acme', found));
      expect(table).toContain('DAMAGED');
    });

    it('clears no hour for a first scheduled digest that begins after now', async () => {
      const { store, digests, edit } = await rangeThenSchedule();
      const first = digests.find((d) => d.json.mode === 'checkpoint');
      if (first === undefined) throw new Error('no scheduled digest');
      await edit(first, { from_ms: NOW + DAY_MS });
      const { status: s, table } = await statusAt(store, 'acme', NOW);
      expect(s.hours?.uncovered).toContain(OLD_HOUR_MS);
      expect(table).toContain('DAMAGED');
    });

    it('clears no hour for a first scheduled digest that begins after it was written', async () => {
      const { store, digests, edit } = await rangeThenSchedule();
      const first = digests.find((d) => d.json.mode === 'checkpoint');
      if (first === undefined) throw new Error('no scheduled digest');
      await edit(first, { from_ms: Date.parse(String(first.json.created_at)) + 60_000 });
      expect((await statusAt(store, 'acme', NOW)).status.hours?.uncovered).toContain(OLD_HOUR_MS);
    });

    it('clears no hour when a digest on the way says no checkpoint_seen, or garbles it', async () => {
      const { store, digests, edit } = await rangeThenSchedule();
      for (const d of digests.filter((x) => x.json.mode === 'range').slice(1))
        await edit(d, { checkpoint_seen: 'yes' });
      expect((await statusAt(store, 'acme', NOW)).status.hours?.uncovered).toContain(OLD_HOUR_MS);
      for (const d of digests.filter((x) => x.json.mode === 'range').slice(1))
        await writeFile(d.path, JSON.stringify({ ...d.json, checkpoint_seen: undefined }));
      expect((await statusAt(store, 'acme', NOW)).status.hours?.uncovered).toContain(OLD_HOUR_MS);
    });
  });

  // Review STATUS2: with coverage/ deleted whole (or a restore that left it out), no hour was
  // checked, from a first manifest there was none of: status said ok, exit 0.
  it("tells a lake with no manifest left under its checkpoint, from the schedule's first hour", async () => {
    await rm(join(lake, 'coverage'), { recursive: true });
    const { status: s, table } = await status();
    const uncovered = s.hours?.uncovered ?? [];
    expect(uncovered).toContain(OLD_HOUR_MS);
    // The hours still due their later pull are the next runs' to store again, not DAMAGED.
    expect(uncovered.at(-1)).toBe(day0 - 17 * HOUR_MS);
    expect(s.hours?.awaitingRepull?.hours.at(-1)).toBe(day0 + 6 * HOUR_MS);
    expect(table).toContain('DAMAGED');
    // The missing column counts them as the state does, not `-` (none checked).
    expect(s.checkedHours).toBeGreaterThan(0);
    expect(s.missingHours).toBe(s.checkedHours);
  });

  it("tells the lake's oldest hours deleted", async () => {
    // The backfill's first day: its hours are quiet, each covered by a manifest with no events.
    const firstDay = (await readdir(join(lake, 'coverage/instance=acme'))).sort()[0] as string;
    const folder = join(lake, 'coverage/instance=acme', firstDay);
    const names = (await readdir(folder)).sort();
    const firstMs = Date.parse(`${(names[0] as string).slice(0, 13)}:00:00Z`);
    for (const name of names.slice(0, 2)) await rm(join(folder, name));
    const { status: s, table } = await status();
    expect(s.hours?.oldestGone).toEqual({ fromMs: firstMs, firstMs: firstMs + 2 * HOUR_MS });
    expect(table).toContain('DAMAGED');
    expect(table).toContain("but the digest chain's first run pulled from");
    expect(table).toContain('the hours between are gone');
  });
});
