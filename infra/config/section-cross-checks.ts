import type * as z from 'zod';
import { YOUR_DOMAIN } from '../address-mistake.ts';
import { expectedInstancesProblem } from '../alerts-expected.ts';
import type { ConfigFields } from './config-fields.ts';

/**
 * The first run reaches back no further than the lake keeps: hours older than retention.maxDays
 * pulled now would be written now and kept maxDays more, past the end the setting promises.
 */
export function checkBackfillWithinMaxDays({ ingest, retention }: ConfigFields, ctx: z.RefinementCtx): void {
  const { maxDays } = retention;
  if (typeof maxDays !== 'number' || ingest.backfillDays <= maxDays) return;
  ctx.addIssue({
    code: 'custom',
    path: ['ingest', 'backfillDays'],
    message: `must be at most retention.maxDays (${maxDays}): the first run would store hours older than the lake keeps. Set it to ${maxDays} or less, or raise retention.maxDays`,
  });
}

/**
 * Every instance's report goes to someone: report.recipients, which may stay empty only when each
 * instance lists its own (instances[].report.recipients).
 */
export function checkReportRecipients({ report, instances }: ConfigFields, ctx: z.RefinementCtx): void {
  if (!report.enabled || report.recipients.length > 0) return;
  const without = instances.filter((instance) => instance.report?.recipients === undefined);
  if (without.length === 0) return;
  const some = without.length < instances.length;
  ctx.addIssue({
    code: 'custom',
    path: ['report', 'recipients'],
    message: `needs at least one address when report.enabled is true, e.g. ["security@${YOUR_DOMAIN}"]${some ? `: the report of ${without.map((i) => `"${i.name}"`).join(', ')} has no instances[].report.recipients of its own` : ''}`,
  });
}

/** alerts.expected names instances of this stack, and a user's instance where there are several. */
export function checkExpectedInstances({ alerts, instances }: ConfigFields, ctx: z.RefinementCtx): void {
  const problem = expectedInstancesProblem(
    alerts.expected,
    instances.map((instance) => instance.name),
  );
  if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['alerts', 'expected'], message: problem });
}

/**
 * A retired instance is one removed from `instances`: a name in both would be an instance that runs
 * and one that does not.
 */
export function checkRetiredInstances(
  { instances, retiredInstances }: ConfigFields,
  ctx: z.RefinementCtx,
): void {
  const running = new Set(instances.map((instance) => instance.name));
  retiredInstances.forEach((name, index) => {
    if (!running.has(name)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['retiredInstances', index],
      message: `is in instances too: an instance that still runs is not retired. Remove it from instances to stop it and keep its data in Athena, or from retiredInstances to keep it running`,
    });
  });
}
