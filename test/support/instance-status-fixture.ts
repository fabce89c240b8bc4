import { type GeoDatabaseStatus, statusTable } from '../../functions/cli/commands/status.ts';
import type { InstanceStatus } from '../../functions/core/status/instance-status.ts';

const H = 3_600_000;

/** Instance `main` with nothing to say at `nowMs`: two hours behind, last week covered, no report. */
export const healthyInstance = (nowMs: number): InstanceStatus => ({
  instance: 'main',
  customer: null,
  watermarkMs: nowMs - 2 * H,
  behindMs: 2 * H,
  catchUp: null,
  rangeOnly: null,
  late: false,
  ingestRunning: null,
  ahead: false,
  checkpointProblem: null,
  checkpointNewer: false,
  lastRun: null,
  scheduled: false,
  silent: false,
  failing: false,
  lastRunProblem: null,
  missingHours: 0,
  checkedHours: 168,
  quarantined: 0,
  eventsStored: 0,
  mostlyQuarantined: false,
  fieldGaps: null,
  lastReport: null,
  strayMarkers: [],
  unsentReports: [],
  report: 'not-enabled',
  nextReport: null,
});

const UNREAD_GEO: GeoDatabaseStatus = {
  version: null,
  releasedAt: null,
  ageDays: null,
  error: 'not read here',
};

/**
 * The table `status` prints at `nowMs` for these instances of lake `location` (lag threshold 3 h,
 * the lag alarm's default window of 60 minutes), as wide as `maxWidth`.
 */
export function statusTableOf(
  instances: readonly InstanceStatus[],
  nowMs: number,
  options: {
    geoDatabase?: GeoDatabaseStatus;
    location?: string;
    maxWidth?: number;
    strayInstanceFolders?: string[];
    chainsWithoutInstance?: string[];
    /** A lake the demo made: what it says while it holds no hour (status.ts `statusTable`). */
    demoNote?: string;
  } = {},
): string {
  return statusTable(
    {
      location: options.location ?? '/lake',
      lagHours: 3,
      lagWindowMinutes: 60,
      instances: [...instances],
      strayInstanceFolders: options.strayInstanceFolders ?? [],
      chainsWithoutInstance: options.chainsWithoutInstance ?? [],
      geoDatabase: options.geoDatabase ?? UNREAD_GEO,
      ok: false,
    },
    nowMs,
    options.maxWidth,
    options.demoNote,
  );
}
