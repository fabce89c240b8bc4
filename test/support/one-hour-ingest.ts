import { defaultIngestConfig } from '../../functions/core/ingest/ingest-config.ts';
import { runIngest } from '../../functions/core/ingest/run-ingest.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { MemoryAuditSource } from './memory-audit-source.ts';
import type { MemoryObjectStore } from './memory-store.ts';
import { quietIngestDeps } from './quiet-ingest-deps.ts';

/** The hour the re-pull tests pull, again and again. */
export const PULLED_HOUR = Date.parse('2026-10-01T10:00:00Z');

export type TimedEntry = Record<string, unknown> & { time: number };

/** A sign-in of `user` at `minute` (and `ms`) past the pulled hour, as Domo serves one. */
export const signInAt = (minute: number, user = '11', ms = 0): TimedEntry => ({
  actionType: 'LOGIN',
  eventText: 'Logged in',
  userId: user,
  userName: `User ${user}`,
  objectType: 'USER',
  objectId: user,
  actorId: 0,
  ipAddress: `81.2.69.${user}`,
  time: PULLED_HOUR + minute * 60_000 + ms,
});

/**
 * Pulls the one hour of `entries` into `store` at concurrency 1, a day and more after it ended,
 * keeping the shape-change notes and the metrics counted, for the tests to read.
 */
export async function ingestOneHour(store: MemoryObjectStore, entries: readonly { time: number }[]) {
  const notes: string[] = [];
  const counted: Record<string, number> = {};
  const summary = await runIngest(
    {
      ...quietIngestDeps(
        new MemoryAuditSource(entries.map((entry) => ({ timeMs: entry.time, entry }))),
        store,
        PULLED_HOUR + 30 * HOUR_MS,
      ),
      onShapeChange: (note) => notes.push(note),
      metrics: {
        count: (name, value) => {
          counted[name] = (counted[name] ?? 0) + value;
        },
      },
    },
    { ...defaultIngestConfig('acme'), concurrency: 1 },
    { range: { fromMs: PULLED_HOUR, toMs: PULLED_HOUR + HOUR_MS } },
  );
  return { summary, notes, counted };
}
