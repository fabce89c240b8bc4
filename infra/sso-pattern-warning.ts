import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ActivityLakeConfig } from './config.ts';

export const SSO_PATTERN_NEEDS_REGION = 'domo-activity-lake:ssoPatternNeedsRegion';

/**
 * `…/sso.amazonaws.com/*` then `/`: a pattern that needs a path part after `sso.amazonaws.com/`.
 * IAM Identity Center puts a permission set's role under `sso.amazonaws.com/<region>/` or directly
 * under `sso.amazonaws.com/`, so such a pattern misses the second kind (review R-SECOND9 H2).
 */
const NEEDS_PATH_PART = /sso\.amazonaws\.com\/[*?]+\//;

/**
 * Synth's warning for each named principal written `…sso.amazonaws.com/*\/AWSReservedSSO_…`:
 * accepted (it matches the roles with a region part), but the roles without one stay denied, and
 * nothing else would tell: a locked-out analyst or break-glass role is found only when it is needed.
 */
export function warnOfSsoPatternsNeedingRegion(scope: IConstruct, config: ActivityLakeConfig): void {
  const lists: Record<string, readonly string[] | undefined> = {
    'retention.deleteAllowedPrincipals': config.retention.deleteAllowedPrincipals,
    'retention.writeAllowedPrincipals': config.retention.writeAllowedPrincipals,
    'retention.readAllowedPrincipals': config.retention.readAllowedPrincipals,
    'retention.deployPrincipals': config.retention.deployPrincipals,
    'alerts.subscribeAllowedPrincipals': config.alerts.subscribeAllowedPrincipals,
  };
  for (const [key, patterns] of Object.entries(lists)) {
    for (const pattern of patterns ?? []) {
      if (!NEEDS_PATH_PART.test(pattern)) continue;
      const fixed = pattern.replace(NEEDS_PATH_PART, 'sso.amazonaws.com/*');
      Annotations.of(scope).addWarningV2(
        SSO_PATTERN_NEEDS_REGION,
        `${key}: "${pattern}" matches only IAM Identity Center roles with a region part in their path (sso.amazonaws.com/<region>/); roles directly under sso.amazonaws.com/ stay denied. Write "${fixed}", which matches both (docs/configuration.md).`,
      );
    }
  }
}
