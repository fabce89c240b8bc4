import { beforeEach, describe, expect, it, vi } from 'vitest';
import { openLake } from '../../functions/adapters/lake-location.ts';
import { loopbackEndpoints } from '../support/loopback-endpoint.ts';
import { withoutConfiguredEndpoints } from '../support/no-configured-endpoint.ts';

// The CLI's own S3 client follows S3's region redirects: a lake bucket in another region than the
// environment's answers 301 naming its region, and the request is signed again for that region.
withoutConfiguredEndpoints();

const fakeEndpoint = loopbackEndpoints();

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'x');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
});

/** A fake S3 whose bucket lives in us-east-2: it redirects requests signed for another region. */
async function bucketInOhio(): Promise<string[]> {
  const signedFor: string[] = [];
  const { endpoint } = await fakeEndpoint((req, res) => {
    const region = /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
    signedFor.push(region);
    if (region !== 'us-east-2') {
      res.writeHead(301, { 'content-type': 'application/xml', 'x-amz-bucket-region': 'us-east-2' });
      res.end(
        '<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>',
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/xml' });
    res.end('<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
  });
  vi.stubEnv('AWS_ENDPOINT_URL_S3', endpoint);
  return signedFor;
}

describe('the S3 client of an s3:// lake', () => {
  it('follows a region redirect: the request is signed again for the bucket region', async () => {
    const signedFor = await bucketInOhio();
    const lake = await openLake('s3://lake-bucket/domo');
    expect(await lake.get('coverage/x.json')).toBeUndefined();
    expect(signedFor).toEqual(['eu-west-1', 'us-east-2']);
  });
});
