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
 * (docs/alerts.md, "Cost"), ~115 bytes a fact; rounded up.
 */
export const PEAK_BYTES_PER_FACT = 120;

/**
 * Share of the memory the profile may take before a warning: the rest holds the runtime (~70 MB)
 * and the hours a run reads (~100-170 MB for three busy hours of a 1M-events-a-day instance), which
 * at 512 MB leave about half.
 */
export const PROFILE_MEMORY_SHARE = 0.5;

/**
 * Logs the profile's size (users, facts, stored bytes), and warns when its estimated peak
 * ({@link PEAK_BYTES_PER_FACT}) passes {@link PROFILE_MEMORY_SHARE} of `memoryBytes` (unknown: no warning).
 */
export function logProfileSize(
  log: Log,
  instance: string,
  profile: LoginProfile,
  storedBytes: number,
  memoryBytes: number | undefined,
): void {
  const facts = profile.size;
  const estimatedPeakMb = Math.ceil((facts * PEAK_BYTES_PER_FACT) / 2 ** 20);
  log.info('login profile', { instance, users: profile.users, facts, storedBytes, estimatedPeakMb });
  if (memoryBytes === undefined || facts * PEAK_BYTES_PER_FACT <= memoryBytes * PROFILE_MEMORY_SHARE) return;
  log.warn(
    'login profile: nearing what the function memory holds; raise alerts.memoryMb (docs/alerts.md, "Cost")',
    {
      instance,
      facts,
      estimatedPeakMb,
      memoryMb: Math.floor(memoryBytes / 2 ** 20),
    },
  );
}
