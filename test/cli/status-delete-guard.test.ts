import { describe, expect, it } from 'vitest';
import { healthyInstance, statusTableOf } from '../support/instance-status-fixture.ts';

// Status says to move stray sent markers out of reports/ or delete them, and a folder no
// instance can have out of the lake: on S3 a move out is a delete, which the stack's bucket policy
// refuses to every principal retention.deleteAllowedPrincipals does not name (none by default).

const NOW = Date.parse('2026-12-04T10:00:00Z');
const GUARD =
  '(on S3 as a principal retention.deleteAllowedPrincipals names: docs/operations.md, "Deleting from the lake")';
const stray = { ...healthyInstance(NOW), strayMarkers: ['reports/instance=main/old.sent.json'] };
const folder = 'activity_log/instance=Main/';
const text = (location: string) =>
  statusTableOf([stray], NOW, { location, strayInstanceFolders: [folder] }).replace(/\s+/g, ' ');

describe('status on a lake on S3, where it says to move files out', () => {
  it('says what the move takes there, for stray sent markers', () => {
    expect(text('s3://lake-bucket/')).toContain(`move them out of reports/ or delete them ${GUARD}`);
  });

  it('says what the move takes there, for a folder no instance can have', () => {
    const s3 = text('s3://lake-bucket/');
    expect(s3).toContain(`${folder} is no instance of this lake`);
    expect(s3).toContain(`move it out of the lake ${GUARD}`);
  });

  it('says nothing of it for a lake on disk', () => {
    const disk = text('/home/ops/lake');
    expect(disk).toContain('move them out of reports/ or delete them');
    expect(disk).toContain('move it out of the lake');
    expect(disk).not.toContain('deleteAllowedPrincipals');
  });
});
