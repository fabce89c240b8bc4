import type { ObjectStore, PutOptions, StoredObject } from '../../functions/core/ports.ts';
import { actionsOf, cfnText, type PolicyStatementJson, resourcesOf } from './synth-helpers.ts';

/** What S3 would have answered 403 to, as `<action> <key or prefix>`. */
export class AccessDeniedError extends Error {
  constructor(readonly denied: string) {
    super(`AccessDenied (403): ${denied}`);
    this.name = 'AccessDeniedError';
  }
}

const globRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.')}$`,
  );

interface Grant {
  actions: RegExp[];
  /** Object key globs (resources `<bucket arn>/<glob>`). */
  keys: RegExp[];
  /** Whether the bucket itself is a resource (what s3:ListBucket is granted on). */
  bucket: boolean;
  /** `s3:prefix` globs of a StringLike condition; undefined: any prefix. */
  prefixes?: RegExp[];
}

/**
 * An ObjectStore that answers as S3 does to a role with the given policy statements (one bucket,
 * the lake's): a get, put or list its grants do not allow is refused, and so is a get of a key that
 * is not there unless the role may list it (S3 says 403 rather than 404 then). Deny statements and
 * other services' grants are not modelled; what it proves is that the grants are enough.
 */
export class GrantedStore implements ObjectStore {
  readonly denied: string[] = [];
  private readonly grants: Grant[];

  constructor(
    private readonly inner: ObjectStore,
    statements: readonly PolicyStatementJson[],
  ) {
    this.grants = statements
      .filter((s) => s.Effect === 'Allow')
      .map((s) => {
        const resources = resourcesOf(s).flatMap((r) => {
          try {
            return [cfnText(r)];
          } catch {
            return []; // Not a lake ARN (e.g. a wildcard of another service's shape).
          }
        });
        const like = s.Condition?.StringLike?.['s3:prefix'];
        return {
          actions: actionsOf(s).map(globRegExp),
          keys: resources
            .filter((r) => /^\{[^}]*Lake[^}]*\}\//.test(r))
            .map((r) => globRegExp(r.slice(r.indexOf('}/') + 2))),
          bucket: resources.some((r) => /^\{[^}]*Lake[^}]*\.Arn\}$/.test(r)),
          ...(like === undefined
            ? {}
            : { prefixes: (Array.isArray(like) ? like : [like]).map((p) => globRegExp(String(p))) }),
        };
      });
  }

  get location(): string {
    return this.inner.location;
  }

  private allowsObject(action: string, key: string): boolean {
    return this.grants.some((g) => g.actions.some((a) => a.test(action)) && g.keys.some((k) => k.test(key)));
  }

  private allowsList(prefix: string): boolean {
    return this.grants.some(
      (g) =>
        g.bucket &&
        g.actions.some((a) => a.test('s3:ListBucket')) &&
        (g.prefixes === undefined || g.prefixes.some((p) => p.test(prefix))),
    );
  }

  private deny(what: string): never {
    this.denied.push(what);
    throw new AccessDeniedError(what);
  }

  async get(key: string): Promise<StoredObject | undefined> {
    if (!this.allowsObject('s3:GetObject', key)) this.deny(`s3:GetObject ${key}`);
    const found = await this.inner.get(key);
    if (found === undefined && !this.allowsList(key))
      this.deny(`s3:GetObject ${key} (missing, and not listable)`);
    return found;
  }

  async put(key: string, body: Uint8Array, options?: PutOptions): Promise<{ etag: string }> {
    if (!this.allowsObject('s3:PutObject', key)) this.deny(`s3:PutObject ${key}`);
    return this.inner.put(key, body, options);
  }

  async *list(prefix: string): AsyncIterable<string> {
    if (!this.allowsList(prefix)) this.deny(`s3:ListBucket ${prefix}`);
    yield* this.inner.list(prefix);
  }
}
