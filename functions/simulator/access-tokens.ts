import { randomBytes, randomUUID } from 'node:crypto';

/** An OAuth client the simulated instance knows. */
export interface SimClient {
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

/** The body of a successful `/oauth/token` answer (domo-api-notes §3.1). */
interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
  customer: string;
  env: string;
  userId: number;
  role: string;
  jti: string;
}

type TokenCheck = { ok: true; scopes: readonly string[] } | { ok: false; reason: 'unknown' | 'expired' };

interface IssuedToken {
  clientId: string;
  scopes: readonly string[];
  expiresAtMs: number;
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/**
 * Issues JWT-shaped bearer tokens (header.payload.signature, with `exp`) and remembers them; the
 * signature part is random bytes, so a token cannot be forged or guessed, only looked up.
 */
export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();
  private issuedCount = 0;

  constructor(
    private readonly clock: () => number,
    private readonly customer: string,
  ) {}

  get issued(): number {
    return this.issuedCount;
  }

  issue(client: SimClient, scopes: readonly string[], lifetimeSec: number): TokenResponse {
    const now = this.clock();
    for (const [token, t] of this.tokens) if (t.expiresAtMs <= now) this.tokens.delete(token);
    const jti = randomUUID();
    const expiresAtMs = now + lifetimeSec * 1000;
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(
      JSON.stringify({
        iss: 'domo-api-simulator',
        sub: client.clientId,
        scope: scopes,
        customer: this.customer,
        iat: Math.floor(now / 1000),
        exp: Math.floor(expiresAtMs / 1000),
        jti,
      }),
    );
    const accessToken = `${header}.${payload}.${base64url(randomBytes(32))}`;
    this.tokens.set(accessToken, { clientId: client.clientId, scopes, expiresAtMs });
    this.issuedCount++;
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: lifetimeSec,
      scope: scopes.join(' '),
      customer: this.customer,
      env: 'prod1',
      userId: 964_382_593,
      role: 'Admin',
      jti,
    };
  }

  /** Forgets a token (revoked, or its client's secret rotated): it is unknown from now on. */
  revoke(accessToken: string): void {
    this.tokens.delete(accessToken);
  }

  check(accessToken: string): TokenCheck {
    const token = this.tokens.get(accessToken);
    if (!token) return { ok: false, reason: 'unknown' };
    if (this.clock() >= token.expiresAtMs) return { ok: false, reason: 'expired' };
    return { ok: true, scopes: token.scopes };
  }
}
