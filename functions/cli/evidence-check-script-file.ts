import { writeFileSync } from 'node:fs';
import { sha256Hex } from '../core/lake/digest.ts';
import { versionLine } from './cli-version.ts';
import type { CommandIo } from './command-io.ts';
import { CHECK_FILE, CHECK_SCRIPT } from './evidence-check-script.ts';
import { UsageError } from './usage-error.ts';

/** The script's bytes as every bundle of this version writes them, and their SHA-256. */
const scriptBytes = (): Uint8Array => new TextEncoder().encode(CHECK_SCRIPT);

/** The SHA-256 of the check.py this version writes into every bundle (README.txt names it). */
export const checkScriptSha256 = (): string => sha256Hex(scriptBytes());

/**
 * `evidence --check-script <file>`: the check.py this version writes into every bundle, written
 * to a new file, and its SHA-256 printed. A receiver's own install (or a checkout of the published
 * repository at the commit README.txt names) gives them a copy not from the sender to hold the
 * bundle's against: README.txt asked them to compare with such a copy, and gave no way to get one.
 * An existing file is refused, never overwritten: it may be the bundle's own check.py.
 */
export function writeCheckScript(file: string, others: readonly string[], io: CommandIo): void {
  if (others.length > 0) {
    throw new UsageError(
      `--check-script writes the script alone: drop ${others.map((name) => `--${name}`).join(', ')}`,
    );
  }
  try {
    writeFileSync(file, scriptBytes(), { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new UsageError(
        `--check-script ${file}: already there; name a new file (it is never overwritten)`,
      );
    }
    throw error;
  }
  io.stdout.write(
    [
      `${CHECK_FILE} of ${versionLine()} written to ${file}`,
      `sha256 ${checkScriptSha256()}`,
      `In the bundle's folder, sha256sum ${CHECK_FILE} must print the same, when the bundle's README.txt`,
      'names this version and commit under Made:.',
      '',
    ].join('\n'),
  );
}
