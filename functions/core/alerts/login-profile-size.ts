/**
 * What an operator sees of the login profile's growth: its size logged every run, and a warning
 * while there is still time to raise the function's memory. The profile grows with the sign-ins
 * of the history window, and past what the memory holds every run is killed and no alert raised.
 */
import type { Log } from '../ports.ts';
import type { LoginProfile } from './login-profile.ts';

/**
 * Peak memory a loaded profile costs per fact, loading and storing it included: measured at 1M
 * events a day (2.66M facts, 3.8 MB stored), a process of ~70 MB before it peaked at 376 MB
 * (docs/alerts.md, "Cost"), ~115 bytes a fact; rounded up. Kept since the text is gunzipped a
 * piece at a time (Node 24 with the Lambda runtime's heap flags for 512 MB: 324-343 MB from ~73 MB,
 * ~100 bytes a fact; 303 MB on Node 20 with the old-space flag alone): the margin covers a machine
 * that collects later.
 */
export const PEAK_BYTES_PER_FACT = 120;

/**
 * Share of the memory the profile may take before a warning: the rest holds the runtime (~70 MB)
 * and the hours a run reads (~100-170 MB for three busy hours of a 1M-events-a-day instance), which
 * at 512 MB leave about half.
 */
const PROFILE_MEMORY_SHARE = 0.5;

/**
 * Share of the memory the whole process may have peaked at before a warning. The estimate per fact
 * misses profiles whose facts each carry an address of their own (a new IPv6 address per sign-in
 * costs ~200 bytes a fact, not 120: 496 MB at 23,000 users with no warning); the peak the process
 * really reached counts everything. A profile grows a day's sign-ins at a time, so a warning at
 * 80 % comes days before the run that no longer fits.
 */
const PEAK_MEMORY_SHARE = 0.8;

/**
 * Logs the profile's size (users, facts, stored bytes), and warns when its estimated peak
 * ({@link PEAK_BYTES_PER_FACT}) passes {@link PROFILE_MEMORY_SHARE} of `memoryBytes`, or the
 * process's own peak passes {@link PEAK_MEMORY_SHARE} of it (unknown memory: no warning).
 */
export function logProfileSize(
  log: Log,
  instance: string,
  profile: LoginProfile,
  storedBytes: number,
  memoryBytes: number | undefined,
  peakBytes: (() => number) | undefined,
): void {
  const facts = profile.size;
  const estimatedPeakMb = Math.ceil((facts * PEAK_BYTES_PER_FACT) / 2 ** 20);
  const peakMb = peakBytes === undefined ? undefined : Math.ceil(peakBytes() / 2 ** 20);
  const peak = peakMb === undefined ? {} : { peakMb };
  log.info('login profile', { instance, users: profile.users, facts, storedBytes, estimatedPeakMb, ...peak });
  if (memoryBytes === undefined) return;
  const estimateNear = facts * PEAK_BYTES_PER_FACT > memoryBytes * PROFILE_MEMORY_SHARE;
  const peakNear = peakMb !== undefined && peakMb * 2 ** 20 > memoryBytes * PEAK_MEMORY_SHARE;
  if (!estimateNear && !peakNear) return;
  log.warn(
    'login profile: nearing what the function memory holds; raise alerts.memoryMb (docs/alerts.md, "Cost")',
    {
      instance,
      facts,
      estimatedPeakMb,
      ...peak,
      memoryMb: Math.floor(memoryBytes / 2 ** 20),
    },
  );
}
