import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLocalReport } from '../functions/cli/commands/report.ts';
import { lastFullWeek } from '../functions/core/report/iso-week.ts';
import { benchBundle } from './bundle-bench.ts';
import { benchIngest, type IngestFigures } from './ingest-bench.ts';
import { benchQueries } from './query-bench.ts';

/**
 * `npm run bench`: prints the figures the project's speed and memory targets are judged by.
 * Figures, not assertions: timings on shared machines vary; compare runs on the same machine.
 */
const table = (rows: object[]) => {
  console.table(
    rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(1)) : v]),
      ),
    ),
  );
};

console.log('# Ingest: backfill from the simulator (worker thread) into a lake on disk, 40 users');
const ingest: IngestFigures[] = [];
for (const days of [7, 28]) ingest.push(await benchIngest(days, 40));
table(ingest.map(({ lakeDir: _dir, ...figures }) => figures));
const [small, large] = ingest;
if (small && large) {
  console.log(
    `Peak heap grows ${((large.peakHeapMiB / small.peakHeapMiB - 1) * 100).toFixed(0)}% for ${(large.hours / small.hours).toFixed(0)}x the windows (memory must not grow with windows).`,
  );
}

const lakeDir = large?.lakeDir ?? '';
const week = lastFullWeek(Date.now(), 'UTC');
console.log(`\n# Queries: DuckDB over the 28-day lake, week ${week.isoWeek}, median of 3 runs`);
table(await benchQueries(lakeDir, week.startMs));

console.log('\n# Weekly report: DuckDB queries, model, HTML/text/MIME, files written');
const out = await mkdtemp(join(tmpdir(), 'bench-report-'));
const started = performance.now();
const report = await writeLocalReport({
  lakeDir,
  outDir: out,
  instance: 'default',
  timeZone: 'UTC',
  nowMs: Date.now(),
  from: 'bench@example.com',
  to: ['admins@example.com'],
});
table([
  {
    week: report.model.week.isoWeek,
    seconds: (performance.now() - started) / 1000,
    htmlKiB: report.htmlBytes / 1024,
  },
]);

console.log('\n# Lambda bundles (esbuild, ESM, minified, AWS SDK included; source maps excluded)');
table(await Promise.all(['functions/ingest/handler.ts', 'functions/report/handler.ts'].map(benchBundle)));

for (const f of ingest) await rm(f.lakeDir, { recursive: true, force: true });
await rm(out, { recursive: true, force: true });
