import type { VerifyReport } from '../core/lake/verify-report.ts';
import { formatLag } from './commands/status.ts';
import { utcHourLabel as hour } from './utc-hour-label.ts';

/**
 * The report's lines on an ingest that is behind (see `IngestBehind`): a stalled ingest passed the
 * monthly routine check with only its watermark printed, and a `--from` past the watermark passed
 * "0 of 0" hours, as if checked (review F-VERIFY2 1).
 */
export function ingestBehindLines(r: VerifyReport): string[] {
  const b = r.ingestBehind;
  if (b === undefined) return [];
  const past = b.checkedPastWatermark;
  const late = past
    ? `the scheduled ingest has pulled no hour from ${hour(b.watermarkMs)} on (see status); ${pastHours(past)} were checked, the hours from ${hour(past.toMs)} on are not`
    : `no ingest has pulled an hour from ${hour(b.watermarkMs)} on (see status); the hours from it on are not checked`;
  const after = past
    ? `the scheduled ingest has not reached it; only ${pastHours(past)} were checked`
    : 'the ingest has not reached it, so the range holds no hour it pulled';
  return [
    ...(b.late
      ? [
          `  note: the watermark is ${formatLag(b.behindMs)} behind this machine's clock, over the ${b.lagHours} h lag threshold: ${late}`,
        ]
      : []),
    ...(b.rangeAfterWatermark
      ? [`  note: the range starts at or after the watermark (${hour(b.watermarkMs)}): ${after}`]
      : []),
  ];
}

/**
 * The hours past the watermark the check reached (a re-pull's, the watermark left behind): checked,
 * so no caveat may call them unchecked (review R-SECOND5 L2).
 */
const pastHours = (past: { toMs: number; hours: number }): string =>
  `the ${past.hours} hour${past.hours === 1 ? '' : 's'} past it that a re-pull stored (to ${hour(past.toMs)})`;

/** The same in the words of an `OK (…)` and the JSON's `check.caveats`. */
export function ingestBehindCaveats(r: VerifyReport): string[] {
  const b = r.ingestBehind;
  if (b === undefined) return [];
  const past = b.checkedPastWatermark;
  const late = past
    ? `the scheduled ingest has not reached ${pastHours(past)}, which were checked; the hours from ${hour(past.toMs)} on are not`
    : `the hours from ${hour(b.watermarkMs)} on, which no ingest has pulled, are not checked`;
  return [
    ...(b.late ? [`the watermark is ${formatLag(b.behindMs)} behind: ${late}`] : []),
    ...(b.rangeAfterWatermark
      ? [
          past
            ? 'the range starts at or after the watermark: only hours a re-pull stored were checked'
            : 'the range starts at or after the watermark: no hour of it was pulled',
        ]
      : []),
  ];
}
