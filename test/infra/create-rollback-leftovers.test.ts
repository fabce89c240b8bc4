import { describe, expect, it } from 'vitest';
import { EVERY_FEATURE, sharedSynth } from './synth-helpers.ts';

type Resource = { id: string; Type: string; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** The id, type and removal of every resource a stack deletion would leave standing. */
function keptResources(overrides: Record<string, unknown>): Resource[] {
  const resources = sharedSynth(overrides).template.toJSON().Resources as Record<string, Resource>;
  return Object.entries(resources)
    .filter(([, r]) => r.DeletionPolicy !== undefined && r.DeletionPolicy !== 'Delete')
    .map(([id, { Type, DeletionPolicy, UpdateReplacePolicy }]) => ({
      id,
      Type,
      DeletionPolicy,
      UpdateReplacePolicy,
    }));
}

// first-deploy review F1: a first deploy that rolled back left the Retain resources behind, among
// them the secret named <stack>/domo/<instance>; the README's retry then failed on that name and
// orphaned another set.
describe('a first deploy that rolls back', () => {
  it.each([
    ['retain', EVERY_FEATURE],
    ['destroy', { ...EVERY_FEATURE, retention: { removalPolicy: 'destroy' } }],
  ])(
    'leaves nothing behind under %s: whatever is kept is kept on updates and deletes only',
    (_, overrides) => {
      // The access-log bucket and its policy excepted: S3 logs the create's calls on the lake into
      // it, and CloudFormation deletes no bucket holding objects (the rollback would fail on it).
      const kept = keptResources(overrides).filter((r) => !r.id.startsWith('StorageAccessLogs'));
      // The lake and the signing key are kept under either setting.
      expect(kept.map((r) => r.Type)).toEqual(expect.arrayContaining(['AWS::S3::Bucket', 'AWS::KMS::Key']));
      for (const resource of kept) {
        expect(resource, resource.id).toEqual({
          id: resource.id,
          Type: resource.Type,
          DeletionPolicy: 'RetainExceptOnCreate',
          UpdateReplacePolicy: 'Retain',
        });
      }
    },
  );

  it('keeps only the access-log bucket and its policy, which may hold the create’s logs', () => {
    const always = keptResources(EVERY_FEATURE).filter((r) => r.DeletionPolicy === 'Retain');
    expect(always.map(({ id, Type }) => [id.replace(/[0-9A-F]{8}$/, ''), Type])).toEqual([
      ['StorageAccessLogs', 'AWS::S3::Bucket'],
      ['StorageAccessLogsPolicy', 'AWS::S3::BucketPolicy'],
    ]);
  });

  it('takes the named Domo secret with it, so the retry can create it again', () => {
    expect(keptResources(EVERY_FEATURE)).toContainEqual({
      id: expect.stringMatching(/^IngestacmeDomoSecret/),
      Type: 'AWS::SecretsManager::Secret',
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
  });
});
