import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { geoDatabasePath } from '../../functions/adapters/geo-file-lookup.ts';

describe('the geo database of a deployed function', () => {
  it('without the file beside the function, says that file is missing, where, and to redeploy', () => {
    // The sources hold no ip-geo.bin beside the module: as a function whose asset lost it.
    const beside = path.join(import.meta.dirname, '../../functions/adapters/ip-geo.bin');
    const env = { AWS_LAMBDA_FUNCTION_NAME: 'acme-ingest' };
    expect(() => geoDatabasePath(env)).toThrow(
      `the geo database file ${beside} beside the function is missing: redeploy, so that the function's asset carries it`,
    );
    expect(() => geoDatabasePath(env)).not.toThrow(/npm ci|not installed/);
  });

  it('still takes GEO_DB_PATH first', () => {
    expect(geoDatabasePath({ AWS_LAMBDA_FUNCTION_NAME: 'acme-ingest', GEO_DB_PATH: '/x/ip-geo.bin' })).toBe(
      '/x/ip-geo.bin',
    );
  });
});
