import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The instance whose report `report.json` in `outDir` is, if one is there and says: the files of
 * `report` carry no instance in their names, so a loop over instances into one --out kept only the
 * last one's, without a word (review R-MULTI L6). Anything unreadable is no report to speak of.
 */
export async function reportInstanceIn(outDir: string): Promise<string | undefined> {
  try {
    const model: unknown = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8'));
    const instance = (model as { instance?: unknown } | null)?.instance;
    return typeof instance === 'string' ? instance : undefined;
  } catch {
    return undefined;
  }
}

/** The note for a report that replaced another instance's in the same --out, if it did. */
export const replacedReportNote = (before: string | undefined, instance: string, outDir: string) =>
  before === undefined || before === instance
    ? undefined
    : `note: replaced the report of instance "${before}" in ${outDir} (report.html, .txt, .eml, .json; its archive under reports/instance=${before}/ stays): give each instance its own --out to keep both`;
