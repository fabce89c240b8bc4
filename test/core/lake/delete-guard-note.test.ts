import { describe, expect, it } from 'vitest';
import { readAlertCheckpoint } from '../../../functions/core/alerts/alert-checkpoint.ts';
import { readCheckpoint } from '../../../functions/core/lake/checkpoint.ts';
import { readStoredCoverage } from '../../../functions/core/lake/coverage.ts';
import { deleteGuardNote } from '../../../functions/core/lake/delete-guard-note.ts';
import { coverageKey } from '../../../functions/core/lake/layout.ts';
import { MemoryObjectStore } from '../../support/memory-store.ts';

// On S3 the stack's bucket policy refuses every delete to a principal retention.deleteAllowedPrincipals
// does not name (none by default): a message that says "delete it" says what that takes there.

/** The memory store, named as a lake on S3 is. */
class S3NamedStore extends MemoryObjectStore {
  override readonly location = 's3://lake-bucket/';
}

const GUARD =
  'as a principal retention.deleteAllowedPrincipals names: docs/operations.md, "Deleting from the lake"';
const junk = new TextEncoder().encode('{"version":1,');

describe('the delete guard, where a message says to delete', () => {
  it('is named for a lake on S3 only', () => {
    expect(deleteGuardNote('s3://lake-bucket/prefix/')).toBe(` (on S3 ${GUARD})`);
    expect(deleteGuardNote('/home/ops/lake')).toBe('');
    expect(deleteGuardNote('memory://lake/')).toBe('');
  });

  it('follows "delete it" for a corrupt checkpoint, manifest or alerts checkpoint on S3', async () => {
    const s3 = new S3NamedStore();
    const disk = new MemoryObjectStore();
    for (const store of [s3, disk]) {
      store.putNow('state/instance=acme/checkpoint.json', junk);
      store.putNow(coverageKey('acme', Date.UTC(2026, 10, 2, 13)), junk);
      store.putNow('alerts-state/instance=acme/checkpoint.json', junk);
    }
    await expect(readCheckpoint(s3, 'acme')).rejects.toThrow(`delete it (on S3 ${GUARD}): the next run`);
    await expect(readCheckpoint(disk, 'acme')).rejects.toThrow('delete it: the next run');
    await expect(readStoredCoverage(s3, 'acme', Date.UTC(2026, 10, 2, 13))).rejects.toThrow(
      `delete it (on S3 ${GUARD}) and pull that hour again`,
    );
    await expect(readAlertCheckpoint(s3, 'acme')).rejects.toThrow(
      `Delete it (on S3 ${GUARD}) to start again`,
    );
    await expect(readAlertCheckpoint(disk, 'acme')).rejects.toThrow('Delete it to start again');
  });
});
