import { hash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbEngine } from '../../functions/adapters/duckdb-engine.ts';
import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { canonicalJson } from '../../functions/core/domo/canonical-json.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { decodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import type { ObjectStore } from '../../functions/core/ports.ts';
import { standardParams } from '../../functions/core/queries/query-params.ts';
import { DAY_MS, HOUR_MS } from '../../functions/core/time-units.ts';
import {
  LOGIN_ACTIONS,
  type SimEvent,
  type Simulator,
  startSimulator,
} from '../../functions/simulator/index.ts';
import { captureIo } from '../support/capture-io.ts';
import { ingestFromSimulator } from '../support/simulator-client.ts';

// Domo's JSON can carry half an emoji as an escape (`"\ud83d"`); JSON.parse keeps it as a lone
// surrogate. Before the writer replaced it, the lake line held the same escape and DuckDB refused
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

const ingest = (store: ObjectStore) => ingestFromSimulator(sim, store, range);

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

  it('in a lake written before, makes DuckDB say what it is, and enrich repairs it', async () => {
    const lake = join(dir, 'old');
    const store = new FsObjectStore(lake);
    await ingest(store);
    // The hour as the writer stored it before: JSON.stringify's lines, the lone surrogate escaped.
    const key = activityKey('default', hourMs);
    const records = decodeNdjsonGzip((await store.get(key))?.body ?? new Uint8Array()) as EventRecord[];
    const old = records.map((record) =>
      record.user_name === 'Bo \ufffd' ? { ...record, user_name: loneName } : record,
    );
    await store.put(key, gzipSync(old.map((record) => `${JSON.stringify(record)}\n`).join('')));

    await expect(query(lake)).rejects.toThrow(
      /no low surrogate in string: a string in that file holds half of a UTF-16 surrogate pair .*Run enrich --instance default --from 2026-11-17T09:00:00Z --to 2026-11-17T10:00:00Z with the same --lake: it writes the hour.s event and quarantine files again/,
    );

    // The command the message names, as an operator runs it.
    const repair = captureIo();
    const argv = [
      'enrich',
      '--lake',
      lake,
      '--instance',
      'default',
      '--from',
      '2026-11-17T09:00:00Z',
      '--to',
      '2026-11-17T10:00:00Z',
    ];
    expect(await main(argv, repair.io), repair.stderr()).toBe(0);
    expect(repair.stdout()).toMatch(
      /: of 1 hour\(s\), 1 rewritten \(2 record\(s\) enriched\), 0 already up to date, 0 without events; 1 record\(s\) held half an emoji \(a lone surrogate\), now U\+FFFD; geo database /,
    );
    const { names } = await query(lake);
    expect(names.map((row) => row.user_name)).toEqual(['Ada', 'Bo \ufffd']);
    // The same records: ids and first-write provenance kept.
    expect(names.map((row) => [row.event_id, row.ingested_at])).toEqual(
      records.map((record) => [record.event_id, record.ingested_at]),
    );
  });
});
