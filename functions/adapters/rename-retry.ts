import { lstat, rename } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { errorCode } from './error-code.ts';

/**
 * Windows refuses a rename while another process holds the source or the target open without
 * FILE_SHARE_DELETE: antivirus or EDR scanning a file just written, the Search indexer, a sync
 * client (OneDrive, Dropbox), a mail client with a `.eml` open, DuckDB reading the lake. Those
 * holds last milliseconds to seconds and come back as EPERM, EACCES or EBUSY (review R-WINOPS M3;
 * graceful-fs and VS Code retry the same way).
 */
const TRANSIENT = new Set(['EPERM', 'EACCES', 'EBUSY']);

/** Waits between tries: doubling from 10 ms to 100 ms, about 3 s in all, then the error stands. */
const WAITS_MS = [10, 20, 40, 80, ...Array.from({ length: 26 }, () => 100)];

export interface RenameRetryOptions {
  /** Default the process's: the retries are Windows' only, elsewhere such an error is not transient. */
  platform?: string;
  /** Injected by tests. */
  rename?: (from: string, to: string) => Promise<void>;
  sleep?: (ms: number) => Promise<unknown>;
}

const exists = (path: string): Promise<boolean> =>
  lstat(path).then(
    () => true,
    () => false,
  );

/**
 * `rename(from, to)`, tried again on Windows for a few seconds while it fails with a transient
 * EPERM, EACCES or EBUSY and `from` is still there (gone, another process moved it: the error is
 * real). Any other error, platform or a source gone is thrown at once, as rename's.
 */
export async function renameWithRetry(
  from: string,
  to: string,
  options: RenameRetryOptions = {},
): Promise<void> {
  const move = options.rename ?? rename;
  const sleep = options.sleep ?? delay;
  const windows = (options.platform ?? process.platform) === 'win32';
  for (let attempt = 0; ; attempt++) {
    try {
      return await move(from, to);
    } catch (error) {
      const wait = WAITS_MS[attempt];
      if (!windows || wait === undefined || !TRANSIENT.has(errorCode(error) ?? '') || !(await exists(from)))
        throw error;
      await sleep(wait);
    }
  }
}
