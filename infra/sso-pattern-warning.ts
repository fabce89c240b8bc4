import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ActivityLakeConfig } from './config.ts';

export const SSO_PATTERN_NEEDS_REGION = 'domo-activity-lake:ssoPatternNeedsRegion';
export const SSO_PATTERN_MATCHES_LONGER_SETS = 'domo-activity-lake:ssoPatternMatchesLongerSets';

/**
 * `…/sso.amazonaws.com/*` then `/`: a pattern that needs a path part after `sso.amazonaws.com/`.
 * IAM Identity Center puts a permission set's role under `sso.amazonaws.com/<region>/` or directly
 * under `sso.amazonaws.com/`, so such a pattern misses the second kind (review R-SECOND9 H2).
 */
const NEEDS_PATH_PART = /sso\.amazonaws\.com\/[*?]+\//;

/**
 * `AWSReservedSSO_<set>_*` at the pattern's end: the `*` matches any run of characters, so the
 * pattern matches as well the roles of every set whose name is `<set>_` and more (`Admin_*` matches
 * `AWSReservedSSO_Admin_ReadOnly_<suffix>`). A set's name may hold `_`, so only the suffix's length
 * tells the set's own roles apart: Identity Center names a role `AWSReservedSSO_<set>_<suffix>`,
 * the suffix 16 hex characters (AWS's examples; not checked against a live account here).
 */
const OPEN_SUFFIX = /(AWSReservedSSO_[^/*?]+_)\*$/;

/** ArnLike's `?` matches exactly one character: 16 of them, the role name's suffix. */
const EXACT_SUFFIX = '?'.repeat(16);

/** The exact form of an SSO role pattern: any path after `sso.amazonaws.com/`, the 16-character suffix. */
export function exactSsoPattern(pattern: string): string {
  return pattern.replace(NEEDS_PATH_PART, 'sso.amazonaws.com/*').replace(OPEN_SUFFIX, `$1${EXACT_SUFFIX}`);
}

/**
 * Synth's warnings for each named principal written as an IAM Identity Center role pattern that
 * matches other roles than the set's own: accepted (the deploy should not fail over it), but
 *
 * - `…sso.amazonaws.com/*\/AWSReservedSSO_…` leaves the roles without a region part denied, and
 *   nothing else would tell: a locked-out analyst or break-glass role is found only when needed;
 * - `…AWSReservedSSO_<set>_*` lets the roles of a set named `<set>_…` through too, so a read-only
 *   set `Admin_ReadOnly` gains the exemptions of the set `Admin` (AWS review, 2026-12-06).
 *
 * Each names the exact pattern to write instead ({@link exactSsoPattern}).
 */
export function warnOfLooseSsoPatterns(scope: IConstruct, config: ActivityLakeConfig): void {
  const lists: Record<string, readonly string[] | undefined> = {
    'retention.deleteAllowedPrincipals': config.retention.deleteAllowedPrincipals,
    'retention.writeAllowedPrincipals': config.retention.writeAllowedPrincipals,
    'retention.readAllowedPrincipals': config.retention.readAllowedPrincipals,
    'retention.deployPrincipals': config.retention.deployPrincipals,
    'alerts.subscribeAllowedPrincipals': config.alerts.subscribeAllowedPrincipals,
  };
  for (const [key, patterns] of Object.entries(lists)) {
    for (const pattern of patterns ?? []) warnOfSsoPattern(scope, key, pattern);
  }
}

function warnOfSsoPattern(scope: IConstruct, key: string, pattern: string): void {
  const fixed = exactSsoPattern(pattern);
  if (NEEDS_PATH_PART.test(pattern)) {
    Annotations.of(scope).addWarningV2(
      SSO_PATTERN_NEEDS_REGION,
      `${key}: "${pattern}" matches only IAM Identity Center roles with a region part in their path (sso.amazonaws.com/<region>/); roles directly under sso.amazonaws.com/ stay denied. Write "${fixed}", which matches both (docs/configuration.md).`,
    );
  }
  const named = OPEN_SUFFIX.exec(pattern)?.[1];
  if (named) {
    const set = named.slice('AWSReservedSSO_'.length);
    Annotations.of(scope).addWarningV2(
      SSO_PATTERN_MATCHES_LONGER_SETS,
      `${key}: "${pattern}" matches as well the IAM Identity Center roles of every permission set whose name starts with "${set}" (e.g. "${set}ReadOnly"), which then pass as this one. Write "${fixed}", which matches only the set's own roles (a role's name ends in a 16-character suffix; "?" matches one character) (docs/configuration.md).`,
    );
  }
}
