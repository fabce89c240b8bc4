import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { PRIVATE_FILE_MODE } from '../adapters/private-mode.ts';
import { errorMessage } from '../core/error-message.ts';
import { shellWord } from './command-line.ts';
import { UsageError } from './usage-error.ts';

/**
 * A file an option names that the command writes whole (`query --out`, `query --provenance`,
 * `verify --known-versions`): to a temporary file beside it, then renamed over it, so a command
 * killed midway leaves the earlier file or none, never half of one. One module, so both check and
 * write the same way.
 */

const temporaryOf = (path: string): string => `${path}.${process.pid}.tmp`;

/**
 * Refuses a path `flag`'s file cannot be written to, by writing and removing the temporary file
 * the write uses: checked before any lake or engine is opened, not after the query ran.
 */
export function assertWritable(flag: string, path: string): void {
  const temporary = temporaryOf(path);
  try {
    writeFileSync(temporary, '', { mode: PRIVATE_FILE_MODE });
    rmSync(temporary, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? errorMessage(error);
    throw new UsageError(
      `${flag} ${shellWord(path)}: the file cannot be written there (${code}): give a path in a folder that exists and that you can write to`,
    );
  }
}

/** Writes `text` to `path` whole; a write or rename that fails leaves no temporary file behind. */
export function writeFileWhole(path: string, text: string): void {
  const temporary = temporaryOf(path);
  try {
    // Rows and their provenance name people: the owner's only (docs/privacy.md, "Local copies").
    writeFileSync(temporary, text, { mode: PRIVATE_FILE_MODE });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
