import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { activityKey } from '../../functions/core/lake/layout.ts';
import { HOUR_MS } from '../../functions/core/time-units.ts';
import { captureIo } from '../support/capture-io.ts';
import { TODAY_INGESTED_AT, TODAY_START, todayLake, verifyAt } from '../support/verify-today-lake.ts';

// Reviews of stop 61, end to end: a lake dir holding one hour's events object and nothing else (no
// manifest, no checkpoint) passed plain verify with only "the lake holds no covered hour yet",
// though queries read its events. It still passes, and now names the hour and the range to re-pull,
// in text and --json.

let dir: string;
let lake: string;
const copied = activityKey('acme', TODAY_START + 5 * HOUR_MS);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-events-before-lake-'));
  const source = join(dir, 'source');
  expect((await todayLake(source)).failures).toEqual([]);
  lake = join(dir, 'lake');
  const to = join(lake, ...copied.split('/'));
  await mkdir(dirname(to), { recursive: true });
  await copyFile(join(source, ...copied.split('/')), to);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

it('names the hours of a lake holding events but no manifest at all, and passes', async () => {
  const now = TODAY_INGESTED_AT + 5 * 60_000;
  const plain = await verifyAt(lake, now, []);
  expect(plain.code, plain.stderr).toBe(0);
  expect(plain.stdout).toBe(
    `verify acme at ${lake}: the lake holds no covered hour yet\n` +
      `  1 hour(s) between 2026-12-02 05:00Z and 2026-12-02 06:00Z hold events or quarantined entries but no manifest, in a lake that covers no hour yet: an ingest of those hours was interrupted between its objects and their manifests (an ingest --from/--to of older history, or a first run), or still runs; queries read them all the same, so once no ingest runs, re-pull them with:\n    ingest --lake ${lake} --from 2026-12-02T05:00:00Z --to 2026-12-02T06:00:00Z\n`,
  );
  const json = await verifyAt(lake, now, ['--json']);
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toMatchObject({
    ok: true,
    fromMs: null,
    heldBeforeLake: { hourCount: 1, fromMs: TODAY_START + 5 * HOUR_MS, toMs: TODAY_START + 6 * HOUR_MS },
  });
});

// Review verify6 #4: the commands verify prints to paste were bare `ingest --from … --to …`:
// pasted elsewhere they pulled into ./lake, and on a lake of two instances ingest refused them.
it('prints its re-pull with the lake as given, shell-quoted, and the instance of a lake of two', async () => {
  const odd = join(dir, "it's a lake");
  for (const instance of ['acme', 'west']) {
    const key = copied.replace('instance=acme', `instance=${instance}`);
    const to = join(odd, ...key.split('/'));
    await mkdir(dirname(to), { recursive: true });
    await copyFile(join(lake, ...copied.split('/')), to);
  }
  const now = TODAY_INGESTED_AT + 5 * 60_000;
  const plain = await verifyAt(odd, now, ['--instance', 'acme']);
  expect(plain.code, plain.stderr).toBe(0);
  const command = /re-pull them with:\n {4}(ingest .*)$/m.exec(plain.stdout)?.[1] ?? '';
  expect(command).toBe(
    `ingest --lake '${dir}/it'\\''s a lake' --instance acme --from 2026-12-02T05:00:00Z --to 2026-12-02T06:00:00Z`,
  );
  // A shell reads it back as the words the ingest is to be given.
  const words = execFileSync('sh', ['-c', `set -- ${command}; printf '%s\\n' "$@"`], { encoding: 'utf8' });
  expect(words.split('\n').slice(0, 5)).toEqual(['ingest', '--lake', odd, '--instance', 'acme']);
});

// Review verify7 #1, #2, #7: the report went through the terminal's wrapping, which cut a command
// inside its quoted path (pasted, it made a lake at the cut path), and a relative lake (./lake by
// default) pasted in another folder made a new lake there.
it('prints each command whole at any width, with the lake as an absolute path a shell reads back', async () => {
  const odd = join(dir, 'a $HOME `id` "lake"');
  const to = join(odd, ...copied.split('/'));
  await mkdir(dirname(to), { recursive: true });
  await copyFile(join(lake, ...copied.split('/')), to);
  const { io, stdout } = captureIo();
  Object.assign(io.stdout, { isTTY: true, columns: 40 });
  const now = TODAY_INGESTED_AT + 5 * 60_000;
  const code = await main(['verify', '--lake', relative(process.cwd(), odd)], {
    ...io,
    clock: { now: () => now },
  });
  expect(code).toBe(0);
  const lines = stdout().split('\n');
  const command = lines.find((line) => line.startsWith('    ingest --lake ')) ?? '';
  // The prose is fitted to the 40 columns (a word wider than that, a path, stays whole); the
  // command is not.
  const wide = lines.filter((line) => line.length > 40 && line !== command);
  expect(wide.filter((line) => line.trim().includes(' '))).toEqual([]);
  expect(lines.length).toBeGreaterThan(10);
  expect(command.length).toBeGreaterThan(100);
  const words = execFileSync('sh', ['-c', `set -- ${command.trim()}; printf '%s\\n' "$@"`], {
    encoding: 'utf8',
  });
  expect(words.split('\n').slice(0, 3)).toEqual(['ingest', '--lake', odd]);
});
