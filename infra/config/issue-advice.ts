/**
 * Advice for a zod refusal whose own words name no fix: where the key is, and what to write.
 */
import type * as z from 'zod';
import {
  acceptsSetting,
  INGEST_SETTINGS,
  repullRule,
  settingRule,
} from '../../functions/core/ingest/ingest-settings.ts';
import { YOUR_DOMAIN } from '../address-mistake.ts';
import { CONTEXT_KEY } from './config-error.ts';

export const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    root,
  );

export const keyName = (path: readonly PropertyKey[]): string =>
  [CONTEXT_KEY, ...path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part)))]
    .join('.')
    .replaceAll('.[', '[');

/** What each section holds, for a section given as something other than an object. */
const SECTION_EXAMPLES: Record<string, string> = {
  ingest: '{ "concurrency": 4 }',
  report: `{ "enabled": true, "sender": "reports@${YOUR_DOMAIN}", "recipients": ["ops@${YOUR_DOMAIN}"] }`,
  alerts: '{ "enabled": true }',
  alarms: `{ "email": "ops@${YOUR_DOMAIN}" }`,
  athena: '{ "databaseName": "domo_activity_lake" }',
  retention: '{ "logDays": 90 }',
};

/**
 * Advice for a value of the wrong type where zod's own words ("Invalid input: expected object,
 * received string") say nothing of the fix: an instance or a section given as a plain value, and
 * `null`, which the shipped cdk.json writes for "not set" and which a key with a default does not
 * take. Undefined where the key's schema words its own error.
 */
export function typeAdvice(issue: z.core.$ZodIssue, given: unknown): string | undefined {
  if (issue.code !== 'invalid_type' || !issue.message.startsWith('Invalid input')) return undefined;
  const [section, index] = issue.path;
  if (issue.expected === 'object' && section === 'instances' && typeof index === 'number') {
    return 'must be an instance object such as { "name": "acme" }, not its name alone';
  }
  if (issue.expected === 'object' && issue.path.length === 1 && typeof section === 'string') {
    const example = SECTION_EXAMPLES[section];
    if (example) return `must be an object of ${section} settings, e.g. ${example}`;
  }
  const wanted = `must be ${issue.expected === 'object' ? 'an' : 'a'} ${issue.expected}`;
  if (given === null) return `${wanted}; leave the key out to use its default`;
  const quotedNumber = issue.expected === 'number' && typeof given === 'string' && given.trim() !== '';
  return quotedNumber && Number.isFinite(Number(given)) ? `${wanted}: write it without quotes` : wanted;
}

/**
 * The rule of a bad `ingest.repullAfterHours` with an example that fits the lookback beside it
 * (a valid one), not the setting's default, which a lookback of a day or more refuses.
 */
export function repullAdvice(issue: z.core.$ZodIssue, raw: unknown): string | undefined {
  if (issue.path.join('.') !== 'ingest.repullAfterHours') return undefined;
  const lookback = valueAt(raw, ['ingest', 'lookbackHours']);
  if (typeof lookback !== 'number' || !acceptsSetting('lookbackHours', lookback)) return undefined;
  return issue.message === settingRule(INGEST_SETTINGS.repullAfterHours) ? repullRule(lookback) : undefined;
}
