import * as z from 'zod';
import { canonicalTimeZone } from '../../functions/core/zoned-time.ts';
import { timeZoneAdvice } from '../time-zone-advice.ts';

/**
 * An IANA zone name spelled exactly as EventBridge Scheduler (the report's schedule) and Athena
 * (`at_timezone` in the queries) take it: `Intl` alone also accepts other letter cases and old
 * aliases, which those services may refuse or read differently.
 */
export const timeZone = z
  .string({ error: 'must be an IANA time zone name such as "UTC" or "Europe/London"' })
  .superRefine((zone, ctx) => {
    const canonical = canonicalTimeZone(zone);
    if (canonical === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'is not an IANA time zone name; use one such as "UTC", "Europe/London" or "America/New_York"',
      });
    } else {
      const advice = timeZoneAdvice(zone, canonical);
      if (advice) ctx.addIssue({ code: 'custom', message: advice });
    }
  });
