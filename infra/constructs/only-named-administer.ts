import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * The key-policy statement's id that refuses a key's policy, disabling and deletion to all but
 * the deploy role, the break-glass principals and the account's root user.
 */
export const ONLY_NAMED_PRINCIPALS_ADMINISTER = 'OnlyNamedPrincipalsAdminister';

/**
 * What only the deploy role, the break-glass principals and the account's root user may do to
 * the stack's keys. To the digest signing key: rewrite its policy (the one step between `kms:*`
 * on `*` and signing a forged chain: the policy's Deny of `kms:Sign` is lifted by whoever may
 * rewrite it), disable it (every ingest run then fails to sign) or schedule its deletion (after
 * the waiting period the public key that checks every signature is gone). To a topic's key: the
 * same three silence the topic (SNS cannot encrypt a message with a disabled key, and a key
 * policy without SNS's or CloudWatch's statements refuses them); for the alarm topic, the watch
 * that would tell of it publishes to that same topic. Reads, grants (a Deny beats a grant), tags,
 * enabling a key and cancelling a deletion stay the account's: the runbooks undo a disable or a
 * deletion with them.
 */
export const NAMED_ADMINISTER_ACTIONS = ['kms:DisableKey', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'];

/**
 * Adds to `key`'s policy a Deny of {@link NAMED_ADMINISTER_ACTIONS} to every principal but
 * `administrators` (`retention.deployPrincipals` and `deleteAllowedPrincipals`) and the account's
 * root user. Without it the root statement's `kms:*` hands the key to IAM, so a role allowed
 * `kms:*` on `*` (`PowerUserAccess`) rewrote the signing key's policy, dropped its Deny of
 * `kms:Sign` and signed a forged chain, or disabled the alarm topic's key and with it every alarm;
 * `LakeGuardChanged` published it, after the fact. The root user is exempt so that a key never
 * becomes unmanageable (KMS has no owner override, as S3 has for a bucket policy): it can always
 * put the policy right. KMS refuses a policy that would refuse its own writer a later
 * `PutKeyPolicy`, so a deploy as a principal not named here is refused on the key and rolls back
 * rather than locking it.
 */
export function guardKeyAdministration(key: kms.IKey, administrators: readonly string[]): void {
  const root = Stack.of(key).formatArn({ service: 'iam', region: '', resource: 'root' });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: ONLY_NAMED_PRINCIPALS_ADMINISTER,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: NAMED_ADMINISTER_ACTIONS,
      resources: ['*'],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': [...new Set([root, ...administrators])] } },
    }),
  );
}
