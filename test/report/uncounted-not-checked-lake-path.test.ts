import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarantineKey } from '../../functions/core/lake/layout.ts';
import { buildReportModel, shortReason } from '../../functions/core/report/build-report-model.ts';
import { reportWeek } from '../../functions/core/report/iso-week.ts';
import { renderText } from '../../functions/core/report/render-text.ts';
import { runOfWeek } from '../../functions/core/report/report-run.ts';
import { type FixtureEngine, openFixtureEngine } from '../queries/support/fixture-engine.ts';
import { event } from '../queries/support/lake-fixture.ts';
import { textWords } from '../support/text-part.ts';

// A report built on a local lake (DuckDB) whose uncounted_sign_ins failed on a damaged quarantine
// object said "not checked (IO Error: Input is not a GZIP stream: /home/user/lake/quarantine/…",
// a path of the sender's disk, cut before the object's name. It names the object by its key in
// the lake now, whole; the command's error and the log keep the path.
const damaged = quarantineKey('default', Date.parse('2026-11-17T09:00:00Z'));
let lake: FixtureEngine;
let lakeDir: string;

beforeAll(async () => {
  lake = await openFixtureEngine('uncounted-lake-path-', { events: [event('2026-11-17 09:15:00')] });
  lakeDir = lake.dir;
  await mkdir(join(lakeDir, ...damaged.split('/').slice(0, -1)), { recursive: true });
  await writeFile(join(lakeDir, ...damaged.split('/')), 'not gzip');
});
afterAll(() => lake?.close());

describe('uncounted sign-ins not checked on a local lake', () => {
  it('names the damaged object by its key in the lake, not its path on this disk', async () => {
    const model = await buildReportModel(lake.engine, {
      instance: 'default',
      run: runOfWeek(reportWeek('2026-W47', 'UTC'), Date.parse('2026-11-23T07:00:00Z')),
    });
    const reason = model.uncountedSignInsNotChecked;
    expect(reason).toBe(`IO Error: Input is not a GZIP stream: ${damaged}: that object of…`);
    expect(reason).not.toContain(lakeDir);
    expect(textWords(renderText(model))).toContain(
      `not checked (IO Error: Input is not a GZIP stream: ${damaged}:`,
    );
  });
});

describe('shortReason of an error naming a file of a local lake', () => {
  const failure = (lakeDir: string, message: string) => Object.assign(new Error(message), { lakeDir });

  it('keeps a long key whole past the cut, and cuts what follows it', () => {
    const key = `quarantine/instance=${'a'.repeat(63)}/dt=2026-11-17/2026-11-17T09.ndjson.gz`;
    const reason = shortReason(
      failure(
        '/home/user/my lake/',
        `IO Error: Input is not a GZIP stream: /home/user/my lake/${key}: damaged`,
      ),
    );
    expect(reason).toBe(`IO Error: Input is not a GZIP stream: ${key}…`);
  });

  it('reads a quoted path, a Windows one, and leaves a path outside the lake as it is', () => {
    const quoted = 'Malformed JSON in file "C:\\lake\\activity_log\\instance=acme\\x.ndjson.gz", at byte 3';
    expect(shortReason(failure('C:\\lake', quoted))).toBe(
      'Malformed JSON in file "activity_log/instance=acme/x.ndjson.gz", at byte 3',
    );
    expect(shortReason(failure('/home/user/lake', 'cannot open /home/user/lake2/x'))).toBe(
      'cannot open /home/user/lake2/x',
    );
  });
});
