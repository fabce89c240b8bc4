import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { literalSchemaKeysPlugin } from '../../infra/constructs/esbuild-child.mjs';
import { LAMBDA_BUNDLE } from '../../infra/constructs/lambda-bundle.ts';

/**
 * The plugin that writes the AWS SDK schemas' computed keys as strings (esbuild-child.mjs) must
 * change what a bundle leaves out, never what it sends or how it reads an answer: one bundle of
 * every command the functions send, built with and without it, sends the same requests to a
 * loopback recorder and makes the same of the same recorded answers (errors included).
 */

const ENTRY = path.join(import.meta.dirname, 'fixtures/sdk-requests-entry.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'sdk-schema-requests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Answer = { status: number; headers?: Record<string, string>; body?: string };

const XML = { 'content-type': 'application/xml', 'x-amz-request-id': 'REQ1', 'x-amz-id-2': 'id2' };
const JSON11 = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-json' };
const REST_JSON = { 'content-type': 'application/json', 'x-amzn-requestid': 'req-rest' };
const WHEN = 'Mon, 07 Dec 2026 01:00:00 GMT';
const s3Error = (status: number, code: string): Answer => ({
  status,
  headers: XML,
  body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>stub ${code}</Message><RequestId>REQ1</RequestId></Error>`,
});
const json11 = (body: unknown, status = 200): Answer => ({
  status,
  headers: JSON11,
  body: JSON.stringify(body),
});
const snsXml = (body: string): Answer => ({ status: 200, headers: { 'content-type': 'text/xml' }, body });
const SNS_NS = 'xmlns="http://sns.amazonaws.com/doc/2010-03-31/"';

/** The answers, in the order the entry's calls send their requests (the multipart upload sends four). */
const ANSWERS: Answer[] = [
  {
    status: 200,
    headers: {
      ...XML,
      'content-type': 'application/json',
      etag: '"e1"',
      'x-amz-version-id': 'v1',
      'last-modified': WHEN,
    },
    body: '{"hour":"2026-12-07T00"}',
  },
  s3Error(404, 'NoSuchKey'),
  {
    status: 200,
    headers: {
      ...XML,
      etag: '"e2"',
      'content-length': '12',
      'last-modified': WHEN,
      'x-amz-object-lock-mode': 'COMPLIANCE',
    },
  },
  { status: 404, headers: { 'x-amz-request-id': 'REQ1' } },
  {
    status: 200,
    headers: { ...XML, etag: '"e3"', 'x-amz-version-id': 'v3', 'x-amz-checksum-crc32': 'AAAAAA==' },
  },
  s3Error(412, 'PreconditionFailed'),
  {
    status: 200,
    headers: XML,
    body: `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>lake-bucket</Name><Prefix>events/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><ContinuationToken>tok</ContinuationToken><NextContinuationToken>tok2</NextContinuationToken><Contents><Key>events/a&amp;b.gz</Key><LastModified>2026-12-07T01:00:00.000Z</LastModified><ETag>"e4"</ETag><Size>10</Size><StorageClass>STANDARD</StorageClass></Contents><Contents><Key>events/c.gz</Key><LastModified>2026-12-07T01:00:00.000Z</LastModified><ETag>"e5"</ETag><Size>11</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>`,
  },
  {
    status: 200,
    headers: XML,
    body: `<?xml version="1.0" encoding="UTF-8"?><ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>lake-bucket</Name><Prefix>state/</Prefix><KeyMarker>k</KeyMarker><VersionIdMarker>v</VersionIdMarker><IsTruncated>true</IsTruncated><NextKeyMarker>k2</NextKeyMarker><NextVersionIdMarker>v2</NextVersionIdMarker><Version><Key>state/a</Key><VersionId>va</VersionId><IsLatest>true</IsLatest><LastModified>2026-12-07T01:00:00.000Z</LastModified><ETag>"e6"</ETag><Size>3</Size></Version><DeleteMarker><Key>state/b</Key><VersionId>vb</VersionId><IsLatest>true</IsLatest><LastModified>2026-12-07T01:00:00.000Z</LastModified></DeleteMarker></ListVersionsResult>`,
  },
  {
    status: 200,
    headers: XML,
    body: `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>lake-bucket</Bucket><Key>events/big.ndjson.gz</Key><UploadId>up-1</UploadId></InitiateMultipartUploadResult>`,
  },
  { status: 200, headers: { ...XML, etag: '"p1"' } },
  { status: 200, headers: { ...XML, etag: '"p2"' } },
  {
    status: 200,
    headers: { ...XML, 'x-amz-version-id': 'v9' },
    body: `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>http://x/lake-bucket/events/big.ndjson.gz</Location><Bucket>lake-bucket</Bucket><Key>events/big.ndjson.gz</Key><ETag>"big-2"</ETag></CompleteMultipartUploadResult>`,
  },
  json11({ QueryExecutionId: 'q-1' }),
  json11(
    { __type: 'InvalidRequestException', Message: 'stub Athena refuses', AthenaErrorCode: 'MALFORMED_QUERY' },
    400,
  ),
  json11({
    QueryExecution: {
      QueryExecutionId: 'q-1',
      Query: 'SELECT 1',
      StatementType: 'DML',
      ResultConfiguration: { OutputLocation: 's3://results/q-1.csv' },
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 60 } },
      Status: {
        State: 'FAILED',
        StateChangeReason: 'boom',
        SubmissionDateTime: 1796605200.123,
        CompletionDateTime: 1796605201.5,
        AthenaError: { ErrorCategory: 2, ErrorType: 1000, Retryable: false, ErrorMessage: 'bad' },
      },
      Statistics: {
        DataScannedInBytes: 1234,
        EngineExecutionTimeInMillis: 56,
        ResultReuseInformation: { ReusedPreviousResult: false },
      },
      WorkGroup: 'wg',
    },
  }),
  json11({
    UpdateCount: 0,
    NextToken: 'n2',
    ResultSet: {
      Rows: [
        { Data: [{ VarCharValue: 'user' }, { VarCharValue: 'n' }] },
        { Data: [{ VarCharValue: 'ann' }, {}] },
      ],
      ResultSetMetadata: {
        ColumnInfo: [
          {
            CatalogName: 'hive',
            Name: 'user',
            Label: 'user',
            Type: 'varchar',
            Precision: 2147483647,
            Scale: 0,
            Nullable: 'UNKNOWN',
            CaseSensitive: true,
          },
          { Name: 'n', Type: 'bigint', Precision: 19, Scale: 0, Nullable: 'NULLABLE', CaseSensitive: false },
        ],
      },
    },
  }),
  json11({}),
  json11({
    TableMetadata: {
      Name: 'events',
      CreateTime: 1796605200,
      TableType: 'EXTERNAL_TABLE',
      Columns: [{ Name: 'event_time', Type: 'timestamp', Comment: 'when' }],
      PartitionKeys: [{ Name: 'instance', Type: 'string' }],
      Parameters: { 'projection.enabled': 'true', 'projection.instance.values': 'acme,beta' },
    },
  }),
  { status: 200, headers: REST_JSON, body: '{"MessageId":"m-1"}' },
  {
    status: 400,
    headers: {
      ...REST_JSON,
      'x-amzn-errortype': 'MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/',
    },
    body: '{"message":"Email address is not verified."}',
  },
  snsXml(
    `<PublishResponse ${SNS_NS}><PublishResult><MessageId>sns-1</MessageId></PublishResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></PublishResponse>`,
  ),
  {
    status: 400,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse ${SNS_NS}><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: Subject</Message></Error><RequestId>r2</RequestId></ErrorResponse>`,
  },
  snsXml(
    `<ListSubscriptionsByTopicResponse ${SNS_NS}><ListSubscriptionsByTopicResult><Subscriptions><member><Owner>123456789012</Owner><Endpoint>sec@acme-co.com</Endpoint><Protocol>email</Protocol><SubscriptionArn>PendingConfirmation</SubscriptionArn><TopicArn>arn:aws:sns:eu-west-1:123456789012:alerts</TopicArn></member></Subscriptions><NextToken>t2</NextToken></ListSubscriptionsByTopicResult><ResponseMetadata><RequestId>r3</RequestId></ResponseMetadata></ListSubscriptionsByTopicResponse>`,
  ),
  { status: 202, headers: { ...REST_JSON, 'content-length': '0' } },
  {
    status: 404,
    headers: { ...REST_JSON, 'x-amzn-errortype': 'ResourceNotFoundException' },
    body: '{"Type":"User","Message":"Function not found: arn:aws:lambda:eu-west-1:123456789012:function:report"}',
  },
  json11({
    KeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    Signature: Buffer.from('sig-bytes').toString('base64'),
    SigningAlgorithm: 'ECDSA_SHA_256',
  }),
  json11({
    ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:domo/acme-abc',
    Name: 'domo/acme',
    VersionId: 'ver-1',
    SecretString: '{"clientId":"c","clientSecret":"s"}',
    VersionStages: ['AWSCURRENT'],
    CreatedDate: 1796605200.5,
  }),
  json11(
    { __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." },
    400,
  ),
];

/** The parts of a request the bundle decides: not the clock's, the signature's, the random or the port. */
const VARYING = new Set([
  'authorization',
  'x-amz-date',
  'amz-sdk-invocation-id',
  'user-agent',
  'x-amz-user-agent',
  'host',
]);
function lasting(headers: IncomingHttpHeaders): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !VARYING.has(name))
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Runs a bundle's calls against a fresh recorder; returns the requests and what each call made of its answer. */
async function runBundle(bundle: string) {
  const requests: unknown[] = [];
  const server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    const answer = ANSWERS[requests.length] ?? { status: 500, body: 'no answer recorded' };
    // Bodies beyond a few KiB (the multipart parts) as their hash, the rest as text.
    const text =
      body.length > 4096
        ? `sha256:${createHash('sha256').update(body).digest('hex')}`
        : body.toString('utf8');
    requests.push({ method: req.method, url: req.url, headers: lasting(req.headers), body: text });
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const script =
      'const { run } = await import(process.argv[1]); process.stdout.write(JSON.stringify(await run()));';
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script, bundle],
      {
        env: {
          PATH: process.env.PATH,
          AWS_ENDPOINT_URL: endpoint,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        timeout: 60_000,
      },
    );
    return { requests, outcomes: (JSON.parse(stdout) as string[]).map((line) => JSON.parse(line)) };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('the literal schema keys plugin', () => {
  const built = { with: path.join(dir, 'with/index.mjs'), without: path.join(dir, 'without/index.mjs') };
  let runs: { with: Awaited<ReturnType<typeof runBundle>>; without: Awaited<ReturnType<typeof runBundle>> };

  beforeAll(async () => {
    // As bundleLambda builds (node24, minified), once with the plugin and once without.
    await Promise.all([
      build({
        ...LAMBDA_BUNDLE,
        entryPoints: [ENTRY],
        outfile: built.with,
        plugins: [literalSchemaKeysPlugin],
      }),
      build({ ...LAMBDA_BUNDLE, entryPoints: [ENTRY], outfile: built.without }),
    ]);
    const withPlugin = await runBundle(built.with);
    runs = { with: withPlugin, without: await runBundle(built.without) };
  }, 120_000);

  it('leaves schemas out of the bundle', () => {
    expect(statSync(built.with).size).toBeLessThan(statSync(built.without).size);
  });

  it('sends every command the functions send as the bundle without it does', () => {
    expect(runs.with.requests.length).toBe(ANSWERS.length);
    expect(runs.with.requests).toEqual(runs.without.requests);
  });

  it('reads every recorded answer, errors included, as the bundle without it does', () => {
    expect(runs.with.outcomes).toEqual(runs.without.outcomes);
    const outcome = (name: string) => runs.with.outcomes.find((o) => o.name === name)?.outcome;
    // And reads them right: a result's fields, an error's name, for each protocol.
    expect(outcome('GetObject').result).toMatchObject({
      ETag: '"e1"',
      VersionId: 'v1',
      Body: '{"hour":"2026-12-07T00"}',
    });
    expect(outcome('GetObject missing').thrown.error).toBe('NoSuchKey');
    expect(outcome('HeadObject missing').thrown.$metadata.httpStatusCode).toBe(404);
    expect(outcome('PutObject If-Match lost').thrown.error).toBe('PreconditionFailed');
    expect(outcome('ListObjectsV2').result.Contents[0].Key).toBe('events/a&b.gz');
    expect(outcome('ListObjectVersions').result.DeleteMarkers[0].Key).toBe('state/b');
    expect(outcome('Upload multipart').result.ETag).toBe('"big-2"');
    expect(outcome('StartQueryExecution refused').thrown).toMatchObject({
      error: 'InvalidRequestException',
      AthenaErrorCode: 'MALFORMED_QUERY',
    });
    expect(outcome('GetQueryExecution').result.QueryExecution.Status.SubmissionDateTime).toEqual({
      date: '2026-12-07T01:00:00.123Z',
    });
    expect(outcome('GetQueryResults').result.ResultSet.Rows[1].Data[0].VarCharValue).toBe('ann');
    expect(outcome('GetTableMetadata').result.TableMetadata.PartitionKeys[0].Name).toBe('instance');
    expect(outcome('SendEmail').result.MessageId).toBe('m-1');
    expect(outcome('SendEmail rejected').thrown.error).toBe('MessageRejected');
    expect(outcome('Publish').result.MessageId).toBe('sns-1');
    expect(outcome('Publish refused').thrown.error).toBe('InvalidParameterException');
    expect(outcome('ListSubscriptionsByTopic').result.Subscriptions[0].Endpoint).toBe('sec@acme-co.com');
    expect(outcome('Invoke').result.StatusCode).toBe(202);
    expect(outcome('Invoke missing').thrown.error).toBe('ResourceNotFoundException');
    expect(outcome('Sign').result.Signature).toEqual({ bytes: Buffer.from('sig-bytes').toString('base64') });
    expect(outcome('GetSecretValue').result.SecretString).toContain('clientId');
    expect(outcome('GetSecretValue missing').thrown.error).toBe('ResourceNotFoundException');
  });
});
