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
  return [
    ...(b.late
      ? [
          `  note: the watermark is ${formatLag(b.behindMs)} behind this machine's clock, over the ${b.lagHours} h lag threshold: no ingest has pulled an hour from ${hour(b.watermarkMs)} on (see status); the hours from it on are not checked`,
        ]
      : []),
    ...(b.rangeAfterWatermark
      ? [
          `  note: the range starts at or after the watermark (${hour(b.watermarkMs)}): the ingest has not reached it, so the range holds no hour it pulled`,
        ]
      : []),
  ];
}

/** The same in the words of an `OK (…)` and the JSON's `check.caveats`. */
export function ingestBehindCaveats(r: VerifyReport): string[] {
  const b = r.ingestBehind;
  if (b === undefined) return [];
  return [
    ...(b.late
      ? [
          `the watermark is ${formatLag(b.behindMs)} behind: the hours from ${hour(b.watermarkMs)} on, which no ingest has pulled, are not checked`,
        ]
      : []),
    ...(b.rangeAfterWatermark
      ? ['the range starts at or after the watermark: no hour of it was pulled']
      : []),
  ];
}
