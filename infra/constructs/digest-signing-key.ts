import { Duration, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ConfigError } from '../config/config-error.ts';
import { arnRegion } from '../config/instance-secret.ts';
import { acknowledgeWildcardResources } from '../nag/acknowledge.ts';
import { defaultDeployPrincipals } from './lake-storage.ts';
import { guardKeyAdministration } from './only-named-administer.ts';

/** Where the command of {@link DigestSigningKey.publicKeyCommand} writes the public key. */
const DIGEST_PUBLIC_KEY_FILE = 'digest-public-key.b64';

/** The key-policy statement's id that refuses `kms:Sign` to all but the ingest roles and named principals. */
export const ONLY_NAMED_PRINCIPALS_SIGN = 'OnlyNamedPrincipalsSign';

/** The tag the stack puts on its digest signing key, valued with the stack's name: it names the key, it grants nothing. */
export const DIGEST_KEY_TAG = 'domo-activity-lake:digest-key';

/** The managed policy's statement id that refuses the ingest roles `kms:Sign` with any key but the digest key. */
export const SIGN_ONLY_THIS_KEY = 'SignOnlyTheStacksDigestKey';

/** What a kept lake is adopted where, and how one is moved: every refusal below ends with it. */
const ADOPTED_WHERE_KEPT =
  'A kept lake is adopted in its own account and region; moving it is a copy with a new chain of signatures (docs/operations.md "Adopting a kept lake")';

/**
 * Refuses an adopted key of another region or account than the stack's (each when the stack names
 * it): the ingest asks the KMS of its own region to sign, which knows no key of another, and signs
 * only with keys of its own account (its grant is on `key/*` there), which no other account's key
 * policy names either.
 *
 * @throws ConfigError naming both regions, or both accounts.
 */
function refuseKeyElsewhere(scope: Construct, keyArn: string): void {
  const { region, account } = Stack.of(scope);
  const keyRegion = arnRegion(keyArn);
  if (!Token.isUnresolved(region) && keyRegion !== undefined && keyRegion !== region) {
    throw new ConfigError([
      `adoptLake.digestKeyArn: the key is in ${keyRegion}, but the stack deploys to ${region}: the ingest signs with a key of its own region. ${ADOPTED_WHERE_KEPT}`,
    ]);
  }
  const keyAccount = keyArn.split(':')[4];
  if (!Token.isUnresolved(account) && keyAccount !== undefined && keyAccount !== account) {
    throw new ConfigError([
      `adoptLake.digestKeyArn: the key is in account ${keyAccount}, but the stack deploys to account ${account}: the ingest signs only with keys of its own account. Deploy to the account that kept the lake (its credentials, or CDK_DEFAULT_ACCOUNT). ${ADOPTED_WHERE_KEPT}`,
    ]);
  }
}

/** What a digest signature is: ECDSA_SHA_256 of a SHA-256 the signer computed. */
const DIGEST_SIGNATURE = {
  StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' },
};

/**
 * The KMS key that signs every digest of the integrity chain (docs/guarantees.md): ECC_NIST_P256,
 * SIGN_VERIFY. Its private half never leaves KMS; the ingest roles may only ask KMS to sign a
 * SHA-256 with it, its policy denies signing to every other principal but the named hand signers,
 * and anyone holding the public key verifies the chain offline
 * (`verify --integrity --public-key`). Asymmetric keys cannot be rotated by KMS, so it has no
 * rotation: a new key would simply sign the digests from then on. It is kept when the stack is
 * deleted, whatever `retention.removalPolicy` says: the lake's locked versions can outlive the
 * stack, and without this key's public half their signatures could never be checked again.
 */
export class DigestSigningKey extends Construct {
  /** The key: created, or the kept one `adoptLake.digestKeyArn` names. */
  readonly key: kms.IKey;
  /** The key policy's Deny of `kms:Sign` to every principal not exempt. */
  private readonly othersNeverSign: iam.PolicyStatement | undefined;
  /** The role ARNs {@link allowSign} was given. */
  private readonly signerArns: string[] = [];
  /** The signers' Deny of every key but this one, made with the first signer. */
  private onlyThisKey?: iam.ManagedPolicy;

  /**
   * @param handSigners ARN patterns (`retention.writeAllowedPrincipals`) the key policy leaves
   *   `kms:Sign` to IAM for: `ingest` and `enrich` sign the digests they append from a workstation.
   * @param administrators ARN patterns the key policy leaves its administration (`NAMED_ADMINISTER_ACTIONS`) to
   *   IAM for, besides the account's root user: the role CloudFormation deploys with
   *   (`retention.deployPrincipals`, by default the CDK bootstrap's execution role) and the
   *   break-glass principals (`retention.deleteAllowedPrincipals`).
   * @param adoptedKeyArn `adoptLake.digestKeyArn`: the kept key to sign with instead of a new one.
   */
  constructor(
    scope: Construct,
    id: string,
    private readonly handSigners: readonly string[] = [],
    administrators: readonly string[] = defaultDeployPrincipals(scope),
    adoptedKeyArn?: string,
  ) {
    super(scope, id);
    if (adoptedKeyArn !== undefined) {
      // The kept key's policy stays as the destroyed stack left it (naming its ingest roles): the
      // stack cannot change the policy of a key it does not hold
      // (docs/operations.md "Adopting a kept lake"). The signers' grants name it as they would.
      refuseKeyElsewhere(this, adoptedKeyArn);
      this.key = kms.Key.fromKeyArn(this, 'Key', adoptedKeyArn);
      this.othersNeverSign = undefined;
      return;
    }
    this.key = new kms.Key(this, 'Key', {
      description:
        'Signs the digests of the activity lake integrity chain (ECDSA P-256). Keep it: without its public key old digests cannot be checked.',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      // Not on the rollback of its own create: it has signed nothing then.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      pendingWindow: Duration.days(30),
    });
    // The default statement lets the account's IAM policies manage and use the key, so that it
    // stays manageable; this Deny beats it for signing, so `kms:*` on `*` (PowerUserAccess) no
    // longer lets a role sign a rewritten chain, and the next one keeps such a role from lifting
    // it by PutKeyPolicy (which the lake guard watch publishes, refused or not).
    this.othersNeverSign = new iam.PolicyStatement({
      sid: ONLY_NAMED_PRINCIPALS_SIGN,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:Sign'],
      resources: ['*'],
    });
    this.exemptSigners();
    this.key.addToResourcePolicy(this.othersNeverSign);
    guardKeyAdministration(this.key, administrators);
    Tags.of(this.key).add(DIGEST_KEY_TAG, Stack.of(this).stackName);
  }

  /**
   * Lets `role` sign digests and nothing else: `kms:Sign` of a SHA-256 it computed (message type
   * DIGEST) with ECDSA_SHA_256, no Verify, GetPublicKey or key management (verification needs
   * none), and exempts it from the key policy's Deny. The allow is in the role's policy, on the
   * region's `key/*`, for two reasons. The role must not name the key: the key's Deny names the
   * role, and both naming each other is a dependency cycle. And the key policy must not name the
   * role as a principal: KMS refuses a policy naming a role IAM has not made visible yet (a fresh
   * deploy). With the allow in the role's policy, on which the key depends, CloudFormation lands
   * the allow before it changes the key, and undoes the key first on a rollback. A condition's ARN
   * is a string KMS does not look up; the account's statement in the key policy lets IAM grant it.
   */
  allowSign(role: iam.IRole): void {
    const anyKeyHere = Stack.of(this).formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
    const { policyDependable } = role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Sign'],
        resources: [anyKeyHere],
        conditions: DIGEST_SIGNATURE,
      }),
    );
    // The key's Deny names the role, which orders the key after the role alone; a role whose
    // statements go into a separate AWS::IAM::Policy (CDK's default) would leave the key free to
    // change before that policy, and a run in between could not sign (review R-SECOND6 L2).
    if (policyDependable) this.key.node.addDependency(policyDependable);
    acknowledgeWildcardResources(
      role,
      [anyKeyHere],
      'kms:Sign of a digest only; the key policy of the digest signing key names this role, which must not name the key (a dependency cycle)',
    );
    this.signerArns.push(role.roleArn);
    this.exemptSigners();
    this.denyOtherKeys(role);
  }

  /**
   * Refuses `role` `kms:Sign` with every key but this one (review R-SECOND9 M2): the allow on
   * `key/*` otherwise let a compromised ingest sign ES256 (ECDSA_SHA_256 over a SHA-256, what JWTs
   * use) with any other P-256 key of the account and region whose policy delegates to IAM. A Deny
   * with `NotResource` the key's ARN, in one managed policy for every signer, not a condition on
   * the allow: the allow lives in the role, which the key depends on (its Deny names the role), so
   * the role cannot name the key. This policy names it and so comes after it: CloudFormation lands
   * the Deny once the key exists, and on a rollback removes it first. Not a tag condition
   * (`aws:ResourceTag`, f2f88024): anyone allowed `kms:TagResource` on another P-256 key could give
   * it the tag and make it signable by the ingest, and KMS takes up to 5 minutes to honour a new
   * tag. One resource whatever the instances.
   */
  private denyOtherKeys(role: iam.IRole): void {
    if (!this.onlyThisKey) {
      this.onlyThisKey = new iam.ManagedPolicy(this, 'SignOnlyThisKey', {
        description:
          'Refuses the ingest roles kms:Sign with any key but the digest signing key of this stack',
        statements: [
          new iam.PolicyStatement({
            sid: SIGN_ONLY_THIS_KEY,
            effect: iam.Effect.DENY,
            actions: ['kms:Sign'],
            notResources: [this.key.keyArn],
          }),
        ],
      });
    }
    this.onlyThisKey.attachToRole(role);
  }

  /** None exempt: the Deny holds for every principal, with no condition to weigh. */
  private exemptSigners(): void {
    const exempt = [...this.signerArns, ...this.handSigners];
    if (exempt.length > 0) this.othersNeverSign?.addCondition('ArnNotLike', { 'aws:PrincipalArn': exempt });
  }

  /** The AWS CLI command that writes the public key where `verify --public-key` reads it. */
  publicKeyCommand(): string {
    return (
      `aws kms get-public-key --region ${Stack.of(this).region} --key-id ${this.key.keyArn} ` +
      `--query PublicKey --output text > ${DIGEST_PUBLIC_KEY_FILE}`
    );
  }
}
