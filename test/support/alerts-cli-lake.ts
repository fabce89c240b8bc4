import { FsObjectStore } from '../../functions/adapters/fs-store.ts';
import { main } from '../../functions/cli/main.ts';
import { advanceCheckpoint } from '../../functions/core/lake/checkpoint.ts';
import type { EventRecord } from '../../functions/core/lake/event-record.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { encodeNdjsonGzip } from '../../functions/core/lake/ndjson.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from './capture-io.ts';

/** A lake of instance `acme` on disk holding `events` in the hour at `hourMs`, its watermark past it. */
export async function oneHourAlertsLake(lake: string, hourMs: number, events: EventRecord[]): Promise<void> {
  const store = new FsObjectStore(lake);
  await store.put(activityKey('acme', hourMs), encodeNdjsonGzip(events));
  await advanceCheckpoint(store, 'acme', {
    watermarkMs: hourMs + HOUR_MS,
    runId: 'fixture',
    codeVersion: 'test',
    now: hourMs + HOUR_MS,
  });
}

/**
 * The kinds `alerts --format json` lists for `lake` at the clock's time, with `args` added, its
 * message files in `out`; the command must succeed.
 */
export async function alertKindsListed(
  lake: string,
  nowMs: number,
  args: string[],
  out: string,
): Promise<string[]> {
  const { io, stdout, stderr } = captureIo();
  const status = await main(['alerts', '--lake', lake, '--format', 'json', '--out', out, ...args], {
    ...io,
    clock: { now: () => nowMs },
  });
  if (status !== 0) throw new Error(`alerts exited ${status}: ${stderr()}`);
  return (JSON.parse(stdout()) as { kind: string }[]).map((a) => a.kind);
}
