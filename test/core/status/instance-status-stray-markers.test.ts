import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../functions/cli/main.ts';
import { reportSentKey, reportsPrefix } from '../../../functions/core/lake/layout.ts';
import { encodeMarker } from '../../../functions/core/report/sent-marker.ts';
import { readInstanceStatus } from '../../../functions/core/status/instance-status.ts';
import { captureIo } from '../../support/capture-io.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

// Monday 2026-11-30 10:20 UTC: week 2026-W48 ended this midnight.
const NOW = Date.UTC(2026, 10, 30, 10, 20);
const options = { nowMs: NOW, lagHours: 3, reportTimeZone: 'UTC' };

const marker = (isoWeek: string) =>
  encodeMarker({
    state: 'sent',
    instance: 'main',
    isoWeek,
    attemptId: 'a',
    claimedAt: '2026-11-23T07:00:00.000Z',
    updatedAt: '2026-11-23T07:00:00.000Z',
    subject: 's',
    recipients: 1,
  });

/** Names a person or a tool might leave beside the markers: none is an ISO week that exists. */
const STRAY = ['notes.sent.json', '2026-W47 copy.sent.json', '2026-W99.sent.json', 'zz.sent.json'];

describe("files named like a week's sent marker that are none", () => {
  it('are skipped and listed, not read as a week (which failed status)', async () => {
    const store = new MemoryObjectStore();
    await store.put(reportSentKey('main', '2026-W47'), marker('2026-W47'));
    // A sent marker's body in each: only the name tells it is none.
    for (const name of STRAY) await store.put(`${reportsPrefix('main')}${name}`, marker('2026-W48'));
    const status = await readInstanceStatus(store, 'main', options);
    expect(status.lastReport).toEqual({
      isoWeek: '2026-W47',
      state: 'sent',
      updatedAt: '2026-11-23T07:00:00.000Z',
      recipients: 1,
    });
    expect(status.strayMarkers).toEqual(STRAY.map((name) => `${reportsPrefix('main')}${name}`).sort());
    expect(status.nextReport?.isoWeek).toBe('2026-W48');
  });
});

describe('status on a lake holding such a file', () => {
  let lake: string;
  beforeAll(async () => {
    lake = await mkdtemp(join(tmpdir(), 'status-stray-marker-'));
    await mkdir(join(lake, 'coverage', 'instance=main'), { recursive: true });
    await mkdir(join(lake, 'reports', 'instance=main'), { recursive: true });
    await writeFile(join(lake, 'reports', 'instance=main', 'notes.sent.json'), 'my notes\n');
  });
  afterAll(async () => rm(lake, { recursive: true, force: true }));

  it('says what it skipped and what to do, and reads the rest', async () => {
    const { io, stdout, stderr } = captureIo();
    await main(['status', '--lake', lake], { ...io, clock: { now: () => NOW } });
    expect(stderr()).not.toContain('error');
    expect(stdout().replace(/\s+/g, ' ')).toContain(
      "main: 1 file(s) named like a weekly report's sent marker are none (a marker is named <YYYY>-W<ww>.sent.json), so status skipped them and no report run reads them: reports/instance=main/notes.sent.json; move them out of reports/ or delete them",
    );
  });
});
