import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KnownVersionsFileNote } from '../core/lake/known-versions.ts';
import type { VerifyReport } from '../core/lake/verify-report.ts';
import { visibleLine } from '../core/visible-line.ts';
import { type IsoPeriod, isoPeriod, madeAt } from './filed-facts.ts';
import { anchorCaveats, okCaveats } from './verify-ok-caveats.ts';

/**
 * What a verify report is filed with (review F-EVID7 M4): when it was checked, by which version,
 * of which lake, instance and hours, the options that shape its result (each file by its bytes'
 * SHA-256, so that the file given can be shown to be that one), and the result. The report alone
 * named none of the files, nor when it was made.
 */
export interface VerifyCheck {
  /** UTC, ISO 8601. */
  checkedAt: string;
  /** `domo-activity-lake <version>`, with the checkout's commit when run from one. */
  tool: string;
  lake: string;
  instance: string;
  /** The hours checked, ISO 8601, the end exclusive; null: the lake holds none. */
  period: IsoPeriod | null;
  options: {
    integrity: boolean;
    expectHeads?: string[];
    accept?: { path: string; sha256: string }[];
    /** `expectedSha256`: the file was taken only because it read so (`--expect-known-versions`). */
    knownVersions?: { path: string; readSha256?: string; expectedSha256?: string; writtenSha256?: string };
    publicKeySha256?: string;
    /** `--reread-turns` as given: which share of the objects the known-versions file spares is read again. */
    rereadTurns?: string;
    settleMinutes?: string;
    lagHours?: string;
    /** `--max-days` as given: the operator's bound for hours aged out by policy, not checked. */
    maxDays?: string;
    /** `--require-anchor`: a pass nothing outside the lake anchors is `NOT ANCHORED`, exit 3. */
    requireAnchor?: true;
  };
  /**
   * `NOT ANCHORED` only with `--require-anchor`: a pass whose chain, or whose chain's end, nothing
   * outside the lake anchors ({@link anchorCaveats}); the command exits 3 (review R-AUDITOR M2).
   */
  result: 'OK' | 'PROBLEMS FOUND' | 'NOT ANCHORED';
  /**
   * With an `OK` (or `NOT ANCHORED`): what it does not prove, as its text verdict says (`OK (…)`);
   * absent when there is nothing to add. Without `--require-anchor`, `result` stays `OK` for the
   * scripts that compare it.
   */
  caveats?: string[];
}

/** The values of the options that shape a check's result, as given. */
export interface CheckValues {
  integrity?: boolean;
  accept?: string[];
  'expect-head'?: string[];
  'expect-known-versions'?: string;
  'reread-turns'?: string;
  'settle-minutes'?: string;
  'lag-hours'?: string;
  'max-days'?: string;
  'require-anchor'?: boolean;
}

const fileSha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The check's header, of a report made at `nowMs` of `lake`. */
export function verifyCheckOf(
  report: VerifyReport,
  lake: string,
  values: CheckValues,
  nowMs: number,
): VerifyCheck {
  const known = report.integrity?.versionsTaken?.file;
  const publicKeySha256 = report.integrity?.signingKey?.publicKeySha256;
  const options: VerifyCheck['options'] = {
    integrity: values.integrity === true,
    ...(values['expect-head']?.length ? { expectHeads: values['expect-head'] } : {}),
    ...(values.accept?.length
      ? { accept: values.accept.map((path) => ({ path: resolve(path), sha256: fileSha256(path) })) }
      : {}),
    ...(known
      ? { knownVersions: knownVersionsOf(known, values['expect-known-versions'] !== undefined) }
      : {}),
    ...(publicKeySha256 === undefined ? {} : { publicKeySha256 }),
    ...(values['reread-turns'] === undefined ? {} : { rereadTurns: values['reread-turns'] }),
    ...(values['settle-minutes'] === undefined ? {} : { settleMinutes: values['settle-minutes'] }),
    ...(values['lag-hours'] === undefined ? {} : { lagHours: values['lag-hours'] }),
    ...(values['max-days'] === undefined ? {} : { maxDays: values['max-days'] }),
    ...(values['require-anchor'] ? { requireAnchor: true as const } : {}),
  };
  const caveats = report.ok ? okCaveats(report) : [];
  const made = madeAt(nowMs);
  return {
    checkedAt: made.at,
    tool: made.tool,
    lake,
    instance: report.instance,
    period: isoPeriod(report.fromMs, report.toMs),
    options,
    result: resultOf(report, values['require-anchor'] === true),
    ...(caveats.length === 0 ? {} : { caveats }),
  };
}

/** The verdict: a pass nothing outside the lake anchors fails `--require-anchor` apart. */
function resultOf(report: VerifyReport, requireAnchor: boolean): VerifyCheck['result'] {
  if (!report.ok) return 'PROBLEMS FOUND';
  const unanchored = report.integrity !== undefined && anchorCaveats(report.integrity).length > 0;
  return requireAnchor && unanchored ? 'NOT ANCHORED' : 'OK';
}

/** The exit code of a check: 0 `OK`, 1 `PROBLEMS FOUND`, 3 `NOT ANCHORED` (2 is a usage error). */
export const verifyExitCode = (check: VerifyCheck): number =>
  check.result === 'OK' ? 0 : check.result === 'NOT ANCHORED' ? 3 : 1;

/** The known-versions file by the sha256 of what was read and written. */
function knownVersionsOf(
  known: KnownVersionsFileNote,
  expected: boolean,
): NonNullable<VerifyCheck['options']['knownVersions']> {
  const read = known.read?.sha256;
  return {
    path: resolve(known.path),
    ...(read === undefined ? {} : { readSha256: read }),
    // Only a file read with the sha256 expected is taken: the two are the same.
    ...(expected && read !== undefined ? { expectedSha256: read } : {}),
    ...(known.written ? { writtenSha256: known.written.sha256 } : {}),
  };
}

/** The header as lines under the report's first: when, by what, the hours, and the options. */
export function checkHeaderLines(check: VerifyCheck): string[] {
  const period = check.period === null ? 'no hours' : `${check.period.from} to ${check.period.to}`;
  const o = check.options;
  const given = [
    ...(o.integrity ? ['--integrity'] : []),
    ...(o.expectHeads ?? []).map((head) => `--expect-head ${visibleLine(head)}`),
    ...(o.accept ?? []).map((file) => `--accept ${visibleLine(file.path)} (sha256 ${file.sha256})`),
    ...(o.knownVersions ? [knownVersionsWords(o.knownVersions)] : []),
    ...(o.publicKeySha256 ? [`--public-key (fingerprint ${o.publicKeySha256})`] : []),
    ...(o.rereadTurns === undefined ? [] : [`--reread-turns ${visibleLine(o.rereadTurns)}`]),
    ...(o.settleMinutes === undefined ? [] : [`--settle-minutes ${visibleLine(o.settleMinutes)}`]),
    ...(o.lagHours === undefined ? [] : [`--lag-hours ${visibleLine(o.lagHours)}`]),
    ...(o.maxDays === undefined ? [] : [`--max-days ${visibleLine(o.maxDays)}`]),
    ...(o.requireAnchor ? ['--require-anchor'] : []),
  ];
  return [
    `  checked ${check.checkedAt} by ${check.tool}; period ${period} (UTC, end excluded)`,
    `  options: ${given.length === 0 ? 'none' : given.join(', ')}`,
  ];
}

function knownVersionsWords(k: NonNullable<VerifyCheck['options']['knownVersions']>): string {
  const read = k.readSha256
    ? `read sha256 ${k.readSha256}${k.expectedSha256 ? ', as expected' : ''}`
    : 'none read';
  const wrote = k.writtenSha256 ? `, wrote sha256 ${k.writtenSha256}` : '';
  return `--known-versions ${visibleLine(k.path)} (${read}${wrote})`;
}
