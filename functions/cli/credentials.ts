import { overlongFields, overlongProblem } from '../core/domo/credential-length.ts';
import type { DomoCredentials } from '../core/ports.ts';
import { UsageError } from './usage-error.ts';

/**
 * Domo client credentials for the command line, from `DOMO_CLIENT_ID` / `DOMO_CLIENT_SECRET`.
 * The secret is never echoed; only which variable is missing.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): DomoCredentials {
  const clientId = env.DOMO_CLIENT_ID?.trim();
  const clientSecret = env.DOMO_CLIENT_SECRET?.trim();
  const missing = [!clientId && 'DOMO_CLIENT_ID', !clientSecret && 'DOMO_CLIENT_SECRET'].filter(Boolean);
  if (missing.length > 0 || !clientId || !clientSecret) {
    throw new UsageError(
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: export the Domo API client's id and secret (Domo developer portal, scope "audit"), the secret with read -rs DOMO_CLIENT_SECRET && export DOMO_CLIENT_SECRET so it stays out of shell history; or pass --secret-id`,
    );
  }
  const overlong = overlongFields(
    { clientId, clientSecret },
    { clientId: 'DOMO_CLIENT_ID', clientSecret: 'DOMO_CLIENT_SECRET' },
  );
  if (overlong.length > 0) throw new UsageError(overlongProblem(overlong));
  return { clientId, clientSecret };
}
