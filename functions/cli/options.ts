import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCategoryRules } from '../core/domo/category-rules.ts';
import { parseDomoTime } from '../core/domo/domo-time.ts';
import { HOUR_MS } from '../core/lake/layout.ts';
import { UsageError } from './usage-error.ts';

export type OptionSpec = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; default?: string | boolean }
>;

/** Parses a command's options strictly, turning node's parse errors into usage errors. */
export function parseOptions<T extends OptionSpec>(
  argv: readonly string[],
  spec: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: [...argv], options: spec, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * A UTC instant from the command line: an ISO 8601 time with a zone, or a bare `YYYY-MM-DD` meaning
 * midnight UTC. Zone-less times are refused rather than read in the machine's zone, and dates that
 * do not exist (2026-02-30) are refused rather than rolled over.
 */
export function parseInstant(flag: string, value: string): number {
  const text = value.trim();
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? parseDomoTime(`${text}T00:00:00Z`)
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)
      ? parseDomoTime(text)
      : undefined;
  if (!parsed?.ok) {
    throw new UsageError(
      `${flag} "${value}" is not a valid UTC time: use 2026-10-01 or 2026-10-01T00:00:00Z`,
    );
  }
  return parsed.ms;
}

/** `--from`/`--to` given together (or neither), as whole UTC hours in order. */
export function parseHourRange(
  from: string | undefined,
  to: string | undefined,
): { fromMs: number; toMs: number } | undefined {
  if ((from === undefined) !== (to === undefined)) {
    throw new UsageError('--from and --to go together: give both for a range, or neither');
  }
  if (from === undefined || to === undefined) return undefined;
  const range = { fromMs: parseInstant('--from', from), toMs: parseInstant('--to', to) };
  if (range.fromMs % HOUR_MS !== 0 || range.toMs % HOUR_MS !== 0) {
    throw new UsageError(
      '--from and --to must fall on whole UTC hours (for example 2026-10-01T00:00:00Z): the lake stores one object per hour',
    );
  }
  if (range.toMs <= range.fromMs) throw new UsageError('--to must be after --from');
  return range;
}

export function parseWholeNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new UsageError(`${flag} "${value}" must be a whole number`);
  }
  return n;
}

/** `90s`, `10m`, `2h` or plain seconds. */
export function parseDuration(flag: string, value: string): number {
  const match = /^(\d+)\s*(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new UsageError(`${flag} "${value}" must be a duration like 90s, 10m or 2h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000;
  return Number(match[1]) * unit;
}

export function readCategoryRulesFile(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--category-rules ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--category-rules ${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseCategoryRules(json, path);
}
