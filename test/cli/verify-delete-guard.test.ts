import { describe, expect, it } from 'vitest';
import { describeReport } from '../../functions/cli/commands/verify.ts';
import { report } from '../support/verify-report-fixture.ts';

// Verify says to delete or move out unreadable objects, stray files and objects of hours not begun;
// on S3 the stack's bucket policy refuses the delete to every principal it does not name.
const stray = { ...report, foreignKeys: ['activity_log/instance=main/x.txt'], foreignKeyCount: 1 };
const line =
  '  every delete or move out of the lake above (on S3 as a principal retention.deleteAllowedPrincipals names: docs/operations.md, "Deleting from the lake")';

describe('verify on a lake on S3, where it says to delete', () => {
  it('says what a delete takes there', () => {
    expect(describeReport(stray, 's3://lake-bucket/').split('\n')).toContain(line);
  });

  it('says nothing of it for a lake on disk, or when nothing is to be deleted', () => {
    expect(describeReport(stray, '/home/ops/lake')).not.toContain('deleteAllowedPrincipals');
    expect(describeReport(report, 's3://lake-bucket/')).not.toContain('deleteAllowedPrincipals');
  });
});
