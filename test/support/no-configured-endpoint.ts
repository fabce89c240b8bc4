import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';

/**
 * Keeps the machine's AWS endpoint settings out of the file's tests: the SDK reads
 * AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL and `endpoint_url` in ~/.aws/config, and a store names
 * that endpoint in its messages. The config file is one that does not exist.
 */
export function withoutConfiguredEndpoints(): void {
  beforeEach(() => {
    vi.stubEnv('AWS_ENDPOINT_URL_S3', undefined);
    vi.stubEnv('AWS_ENDPOINT_URL', undefined);
    vi.stubEnv('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', join(tmpdir(), `no-aws-config-${process.pid}`, 'config'));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
}
