/**
 * Domo changing its entry shapes under a running lake, ingested for real and reported from DuckDB
 * (review R-SCHEMA, stop 53): sign-ins whose user fields are nested (`user: {id, name}`) are
 * stored without a user id, and failed logins with an address the ingest cannot read are
 * quarantined, and a sign-in named in words the category rules do not know is stored as other.
 * The weekly report must say so where it would otherwise say "none".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbQueryEngine, openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { buildReportModel } from '../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../functions/core/report/iso-week.ts';
import { renderText } from '../../functions/core/report/render-text.ts';
import { runOfWeek } from '../../functions/core/report/report-run.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { LOGIN_ACTIONS, type SimEvent, startSimulator } from '../../functions/simulator/index.ts';
import { ingestFromSimulator } from '../support/simulator-client.ts';
import { textWords } from '../support/text-part.ts';

const h9 = Date.parse('2026-11-17T09:00:00Z');
const nested = (ms: number, user: string, action: keyof typeof LOGIN_ACTIONS): SimEvent => ({
  timeMs: ms,
  entry: {
    ...LOGIN_ACTIONS[action],
    user: { id: user, name: `User ${user}`, type: 'USER' },
    objectType: 'USER',
    ipAddress: '175.45.176.9',
  },
});
const events: SimEvent[] = [];
for (let i = 0; i < 4; i++) events.push(nested(h9 + 30 * 60_000 + i * 20_000, String(30 + i), 'login'));
// The auth service's own shape: an address the ingest cannot read, so each entry is quarantined.
for (let i = 0; i < 5; i++) {
  events.push({
    timeMs: h9 + 20 * 60_000 + i * 10_000,
    entry: {
      ...LOGIN_ACTIONS.loginFailed,
      userId: '12',
      userName: 'User 12',
      objectType: 'USER',
      ipAddress: { address: '175.45.176.9', forwardedFor: [] },
    },
  });
}

// A sign-in named in words the category rules do not know: stored as `other`.
for (let i = 0; i < 2; i++) {
  events.push({
    timeMs: h9 + 40 * 60_000 + i * 10_000,
    entry: {
      actionType: 'SESSION_STARTED',
      eventText: 'Session started',
      userId: '14',
      userName: 'User 14',
      objectType: 'USER',
    },
  });
}

let dir: string;
let engine: DuckDbQueryEngine;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drifted-shapes-'));
  const sim = await startSimulator({ events, clock: () => h9 + 2 * HOUR_MS, seed: 1 });
  try {
    const summary = await ingestFromSimulator(sim, new FsObjectStore(dir), {
      fromMs: h9,
      toMs: h9 + HOUR_MS,
    });
    expect(summary.failures).toEqual([]);
  } finally {
    await sim.close();
  }
  engine = await openDuckDbEngine({ lakeDir: dir });
}, 60_000);
afterAll(async () => {
  await engine?.close?.();
  await rm(dir, { recursive: true, force: true });
});

describe('a week of drifted login shapes', () => {
  it('reports the logins no check judged and the failed logins that may be quarantined', async () => {
    const model = await buildReportModel(engine, {
      instance: 'default',
      run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
    });
    expect(model.health).toMatchObject({ logins: 4, loginsWithoutUser: 4, quarantined: 5 });
    expect(model.suspiciousLogins).toEqual([]);
    expect(model.failedLogins).toEqual([]);
    const text = textWords(renderText(model));
    expect(text).toContain('No suspicious logins found, but 4 of 4 logins (100%) named no user');
    expect(text).toContain(
      'No failed logins or lockouts among the entries read. Not counted here: 5 entries of the week could not be read (quarantined), all of which look like sign-in or sign-out events (by actionType: LOGIN_FAILED ×5);',
    );
    expect(model.uncountedSignIns).toEqual({
      unrecognised: 2,
      quarantined: 5,
      quarantinedEntries: 5,
      actionTypes: [
        { source: 'unrecognised', actionType: 'SESSION_STARTED', exampleText: 'Session started', entries: 2 },
        {
          source: 'quarantined',
          actionType: 'LOGIN_FAILED',
          exampleText: 'Failed login attempt',
          entries: 5,
        },
      ],
    });
    expect(text).toContain(
      'Not counted here: 2 entries of the week look like sign-in or sign-out events but the category rules did not recognise them (by actionType: SESSION_STARTED ×2)',
    );
    expect(text).not.toMatch(/No (suspicious logins|failed logins or lockouts) this week\./);
  });
});
