import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';

/** The file's name in the layer; Lambda extracts a layer under /opt. */
const FILE_NAME = 'alerts-recipients.txt';

/**
 * The alerts' recipients once for all the alerts functions: a Lambda layer of one file, which
 * each function reads at its start ({@link AlertsRecipientsLayer.file}, ALERTS_RECIPIENTS_FILE).
 * Why: in every function's environment they took ~3 KB of template per instance at 50 long
 * addresses (60 KB at 20 instances), which put the largest stack with a long stack name over the
 * 1,000,000 bytes CloudFormation takes. A layer, rather than an SSM parameter or an S3 object:
 * the function reads a file, with no call at its start that could fail or be throttled, no grant
 * in its role and no SDK client in its bundle; and the stack writes no object at deploy (which
 * would need a custom resource). A new list is a new layer version: CloudFormation creates it,
 * points the functions at it, then deletes the old one, which holds no data.
 */
export class AlertsRecipientsLayer extends Construct {
  /** Where the functions read the list. */
  static readonly file = `/opt/${FILE_NAME}`;
  readonly layer: lambda.LayerVersion;

  constructor(scope: Construct, id: string, props: { recipients: readonly string[] }) {
    super(scope, id);
    // Written to a folder of its own, made for this synth and removed once CDK has staged a copy
    // in its output (the asset is named by the content, not the folder): a folder of a fixed name
    // in the shared temporary directory piled up, and one another user had made first could add
    // files to the layer.
    const dir = mkdtempSync(path.join(tmpdir(), 'domo-alerts-recipients-'));
    // Unstaged (`cdk synth --no-staging`, as SAM runs it), the assembly names the folder itself.
    const keep = Boolean(this.node.tryGetContext(cxapi.DISABLE_ASSET_STAGING_CONTEXT));
    try {
      writeFileSync(path.join(dir, FILE_NAME), props.recipients.join(','));
      this.layer = new lambda.LayerVersion(this, 'Layer', {
        code: lambda.Code.fromAsset(dir),
        description: 'The addresses the security-alerts functions mail (alerts.recipients)',
        removalPolicy: RemovalPolicy.DESTROY,
      });
    } finally {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  }
}
