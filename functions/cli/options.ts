import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCategoryRules } from '../core/domo/category-rules.ts';
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
 * midnight UTC. Zone-less times are refused rather than read in the machine's zone.
 */
export function parseInstant(flag: string, value: string): number {
  const text = value.trim();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? Date.parse(`${text}T00:00:00Z`)
    : /(Z|[+-]\d{2}:?\d{2})$/i.test(text)
      ? Date.parse(text)
      : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(`${flag} "${value}" is not a UTC time: use 2026-10-01 or 2026-10-01T00:00:00Z`);
  }
  return ms;
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
