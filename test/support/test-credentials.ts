import { beforeEach, vi } from 'vitest';

/**
 * Before each test of the file: a region and static credentials in the environment, so an SDK
 * client built the way the product builds it (no credentials or region given) gets as far as
 * sending, without reading the machine's AWS profile or asking a metadata service.
 */
export function withTestCredentials(region = 'eu-west-1'): void {
  beforeEach(() => {
    vi.stubEnv('AWS_REGION', region);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'x');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  });
}
