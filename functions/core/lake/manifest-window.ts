import { HOUR_MS } from '../time-units.ts';
import type { CoverageManifest } from './coverage-manifest.ts';
import { lakeTimestamp } from './layout.ts';

/**
 * How a manifest's window fields differ from the hour of its key, or undefined when they are that
 * hour's. The ingest writes them from the hour it pulled, so another value is an edit. A
 * `window_start` moved to another hour took the hour out of the report's data health, which counts
 * covered hours by it, while its events and count still agreed (review R-EVIDENCE3 M1). The
 * reader already refuses a `window_start_ms` of another hour (coverage.ts); the other two are
 * judged here, by verify, so that the ingest still reads such a manifest and writes over it.
 */
export function windowFieldsMismatch(manifest: CoverageManifest, windowStartMs: number): string | undefined {
  const wrong: string[] = [];
  if (manifest.window_start_ms !== windowStartMs)
    wrong.push(`window_start_ms ${manifest.window_start_ms} (the key's hour is ${windowStartMs})`);
  if (manifest.window_end_ms !== windowStartMs + HOUR_MS)
    wrong.push(`window_end_ms ${manifest.window_end_ms} (the hour ends at ${windowStartMs + HOUR_MS})`);
  const start = lakeTimestamp(windowStartMs);
  if (manifest.window_start !== start)
    wrong.push(`window_start ${JSON.stringify(manifest.window_start)} (the hour's is "${start}")`);
  return wrong.length === 0 ? undefined : `manifest's window is not its key's hour: ${wrong.join(', ')}`;
}
