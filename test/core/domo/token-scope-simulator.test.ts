import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditClient } from '../../../functions/core/domo/audit-client.ts';
import { DomoConfigError } from '../../../functions/core/domo/errors.ts';
import { realClientWaits } from '../../../functions/core/runtime.ts';
import { type Simulator, startSimulator } from '../../../functions/simulator/index.ts';

// The simulator answers a scope the client may not ask for with HTTP 400 in words; the client was
// told to rotate a correct secret (review 39c, item 1).
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    clients: [{ clientId: 'sim-client', clientSecret: 'sim-secret', scopes: ['data', 'user'] }],
  });
});
afterAll(() => sim.close());

describe('a client without the audit scope, against the simulator', () => {
  it('is told to grant the scope, not to check its secret', async () => {
    const client = createAuditClient({
      apiBase: sim.url,
      fetch: globalThis.fetch,
      credentials: { clientId: 'sim-client', clientSecret: 'sim-secret' },
      ...realClientWaits,
    });
    const error = await client.fetchPage({ start: 0, end: 3_600_000, limit: 10, offset: 0 }).catch((e) => e);
    expect(error).toBeInstanceOf(DomoConfigError);
    expect(error.message).toContain("may not request scope 'audit': grant it the audit scope");
    expect(error.message).not.toContain('DOMO_CLIENT_SECRET');
    expect(error.message).not.toContain('not granted');
  });
});
