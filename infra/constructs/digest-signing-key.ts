import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Where the command of {@link DigestSigningKey.publicKeyCommand} writes the public key. */
const DIGEST_PUBLIC_KEY_FILE = 'digest-public-key.b64';

/**
 * The KMS key that signs every digest of the integrity chain (docs/guarantees.md): ECC_NIST_P256,
 * SIGN_VERIFY. Its private half never leaves KMS; the ingest roles may only ask KMS to sign a
 * SHA-256 with it, and anyone holding the public key verifies the chain offline
 * (`verify --integrity --public-key`). Asymmetric keys cannot be rotated by KMS, so it has no
 * rotation: a new key would simply sign the digests from then on. It is kept when the stack is
 * deleted, whatever `retention.removalPolicy` says: the lake's locked versions can outlive the
 * stack, and without this key's public half their signatures could never be checked again.
 */
export class DigestSigningKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description:
        'Signs the digests of the activity lake integrity chain (ECDSA P-256). Keep it: without its public key old digests cannot be checked.',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      // Not on the rollback of its own create: it has signed nothing then.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      pendingWindow: Duration.days(30),
    });
  }

  /**
   * Lets `grantee` sign digests and nothing else: `kms:Sign` of a SHA-256 it computed (message type
   * DIGEST) with ECDSA_SHA_256. No Verify, GetPublicKey or key management: verification needs none.
   */
  grantSign(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Sign'],
        resources: [this.key.keyArn],
        conditions: {
          StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' },
        },
      }),
    );
  }

  /** The AWS CLI command that writes the public key where `verify --public-key` reads it. */
  publicKeyCommand(): string {
    return (
      `aws kms get-public-key --region ${Stack.of(this).region} --key-id ${this.key.keyArn} ` +
      `--query PublicKey --output text > ${DIGEST_PUBLIC_KEY_FILE}`
    );
  }
}
