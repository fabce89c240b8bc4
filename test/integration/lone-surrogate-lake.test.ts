import { hash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { canonicalJson } from '../../functions/core/domo/canonical-json.ts';
import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/lake/layout.ts';
import { noMetrics, type ObjectStore, silentLog, systemClock } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import {
  LOGIN_ACTIONS,
  type SimEvent,
  type Simulator,
  startSimulator,
} from '../../functions/simulator/index.ts';
import { simulatorClient } from '../support/simulator-client.ts';

// Domo's JSON can carry half an emoji as an escape (`"\ud83d"`); JSON.parse keeps it as a lone
// surrogate. Before the ingest replaced it, the lake line held the same escape and DuckDB refused
// the whole hour ("no low surrogate in string"), so every query over that day failed.
const hourMs = Date.parse('2026-11-17T09:00:00Z');
const range = { fromMs: hourMs, toMs: hourMs + HOUR_MS };
const loneName = 'Bo \ud83d';

const simEvent = (minute: number, userId: string, userName: string): SimEvent => ({
  timeMs: hourMs + minute * 60_000,
  entry: {
    ...LOGIN_ACTIONS.login,
    time: hourMs + minute * 60_000,
    userId,
    userName,
    userType: 'USER',
    objectType: 'USER',
    ipAddress: '203.0.113.7',
    // A nested value is kept in `raw` only, as the text Domo served.
    extra: { note: 'half \udc00' },
  },
  planted: true,
});

let dir: string;
let sim: Simulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lone-surrogate-'));
  sim = await startSimulator({
    events: [simEvent(0, '1', 'Ada'), simEvent(10, '2', loneName)],
    clock: () => hourMs + DAY_MS,
    seed: 1,
  });
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const ingest = (store: ObjectStore) =>
  runIngest(
    {
      source: simulatorClient(sim, { seed: 1, inProcess: true }),
      store,
      clock: systemClock,
      log: silentLog,
      metrics: noMetrics,
    },
    defaultIngestConfig('default'),
    { range },
  );

async function query(lakeDir: string) {
  const engine = await openDuckDbEngine({ lakeDir });
  try {
    const names = await engine.runSql(
      'SELECT user_name, event_id, raw, ingested_at FROM activity_log ORDER BY event_time_ms',
      [],
    );
    const totals = await engine.run(
      'period_totals',
      standardParams({ instance: 'default', fromMs: hourMs - DAY_MS, toMs: hourMs + 6 * DAY_MS }),
    );
    return { names: names.rows, totals: totals.rows };
  } finally {
    await engine.close();
  }
}

const sha256 = (text: string) => hash('sha256', text, 'hex');

describe('a Domo name holding a lone surrogate', () => {
  it('is stored with U+FFFD, raw and event id as before, and DuckDB reads the day', async () => {
    const lake = join(dir, 'new');
    const summary = await ingest(new FsObjectStore(lake));
    expect(summary.failures).toEqual([]);
    expect(summary.eventsWritten).toBe(2);

    const { names, totals } = await query(lake);
    expect(names.map((row) => row.user_name)).toEqual(['Ada', 'Bo \ufffd']);
    expect(totals.length).toBeGreaterThan(0);
    const stored = names[1];
    // raw is the text as served: the escape is still there, byte for byte, and harmless inside a string.
    expect(stored?.raw).toContain('"userName":"Bo \\ud83d"');
    expect(stored?.raw).toContain('"note":"half \\udc00"');
    // The id is the hash of the entry as parsed (lone surrogate and all), as lakes written before have it.
    expect(stored?.event_id).toBe(sha256(canonicalJson(JSON.parse(String(stored?.raw)))));
  });
});
