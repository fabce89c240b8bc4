import { ingestCommand } from '../../functions/cli/commands/ingest.ts';
import type { Clock } from '../../functions/core/ports.ts';
import { silentLog } from '../../functions/core/ports.ts';
import { generateInstance, type Simulator, startSimulator } from '../../functions/simulator/index.ts';
import { captureIo } from './capture-io.ts';

/**
 * Three simulated hours of 2026-10-01 and a command-line ingest of exactly them: the smallest
 * real `ingest --from/--to` run, for tests of what such a run refuses, records or says.
 */

export const THREE_HOURS_FROM_MS = Date.parse('2026-10-01T00:00:00Z');
const THREE_HOURS_TO_MS = Date.parse('2026-10-01T03:00:00Z');

/** A simulator serving the three hours (events drawn from `seed`) to client "id"/"secret". */
export const startThreeHourSimulator = (seed: number): Promise<Simulator> =>
  startSimulator({
    events: generateInstance({
      seed,
      fromMs: THREE_HOURS_FROM_MS,
      toMs: THREE_HOURS_TO_MS,
      users: 2,
      eventsPerUserDay: 24,
    }).events,
    clients: [{ clientId: 'id', clientSecret: 'secret', scopes: ['audit'] }],
  });

/** `ingest --from 2026-10-01 --to 2026-10-01T03:00:00Z` of `sim` into `lake`, with `extra` flags. */
export async function ingestThreeHours(
  sim: Simulator,
  lake: string,
  extra: readonly string[] = [],
  clock?: Clock,
) {
  const { io, stdout, stderr } = captureIo({ DOMO_CLIENT_ID: 'id', DOMO_CLIENT_SECRET: 'secret' });
  const argv = [
    '--from',
    '2026-10-01',
    '--to',
    '2026-10-01T03:00:00Z',
    '--lake',
    lake,
    '--api-base',
    sim.url,
  ];
  const result = await ingestCommand([...argv, ...extra], {
    ...io,
    log: silentLog,
    ...(clock ? { clock } : {}),
  });
  return { result, stdout, stderr };
}
