import { describe, expect, it } from 'vitest';
import { EVERY_FEATURE, sharedSynth } from './synth-helpers.ts';

type Resource = { Type: string; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** The type and removal of every resource a stack deletion would leave standing. */
function keptResources(overrides: Record<string, unknown>): Resource[] {
  const resources = sharedSynth(overrides).template.toJSON().Resources as Record<string, Resource>;
  return Object.values(resources)
    .filter((r) => r.DeletionPolicy !== undefined && r.DeletionPolicy !== 'Delete')
    .map(({ Type, DeletionPolicy, UpdateReplacePolicy }) => ({ Type, DeletionPolicy, UpdateReplacePolicy }));
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
      const kept = keptResources(overrides);
      // The lake, its access log and the signing key are kept under either setting.
      expect(kept.map((r) => r.Type)).toEqual(expect.arrayContaining(['AWS::S3::Bucket', 'AWS::KMS::Key']));
      for (const resource of kept) {
        expect(resource, resource.Type).toEqual({
          Type: resource.Type,
          DeletionPolicy: 'RetainExceptOnCreate',
          UpdateReplacePolicy: 'Retain',
        });
      }
    },
  );

  it('takes the named Domo secret with it, so the retry can create it again', () => {
    expect(keptResources(EVERY_FEATURE)).toContainEqual({
      Type: 'AWS::SecretsManager::Secret',
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
  });
});
