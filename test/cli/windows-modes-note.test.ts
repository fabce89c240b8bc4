import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { main } from '../../functions/cli/main.ts';
import { windowsModesNote } from '../../functions/cli/windows-modes-note.ts';
import { captureIo } from '../support/capture-io.ts';

// Review R-WINOPS M1: on Windows 0600/0700 are no-ops, the files inherit the folder's permissions.
describe('the note that private modes do not apply on Windows', () => {
  const where = { cwd: '/src/domo-activity-lake', home: '/home/ana' };

  it('is given once for a command writing rows outside the profile, naming the paths', () => {
    const note = windowsModesNote('win32', 'demo', [], where);
    expect(note).toBe(
      "note: on Windows the files are not made private (0600 modes do not apply): /src/domo-activity-lake/lake, /src/domo-activity-lake/out take the folder's permissions, which outside your user profile (/home/ana) may let other accounts of this machine read them; see docs/privacy.md, Local copies",
    );
    expect(windowsModesNote('win32', 'query', ['q', '--out=/tmp/rows.json'], where)).toContain(
      ' /tmp/rows.json take',
    );
    expect(windowsModesNote('win32', 'ingest', ['--lake', '../lake-prod'], where)).toContain(
      ' /src/lake-prod take',
    );
  });

  it('is not given inside the profile, to S3, for readers, or off Windows', () => {
    const home = { cwd: '/home/ana/src/dal', home: '/home/ana' };
    expect(windowsModesNote('win32', 'demo', [], home)).toBeUndefined();
    expect(windowsModesNote('win32', 'ingest', ['--lake', 's3://b/p'], where)).toBeUndefined();
    expect(windowsModesNote('win32', 'query', ['q'], where)).toBeUndefined();
    expect(windowsModesNote('win32', 'status', [], where)).toBeUndefined();
    expect(windowsModesNote('win32', 'verify', [], where)).toBeUndefined();
    expect(windowsModesNote('linux', 'demo', [], where)).toBeUndefined();
    expect(windowsModesNote('darwin', 'demo', [], where)).toBeUndefined();
  });

  it('is printed by the command line on win32 only', async () => {
    const out = `/nonexistent-${process.pid}/rows.json`;
    expect(out.startsWith(homedir())).toBe(false);
    const run = async (platform: NodeJS.Platform) => {
      const { io, stderr } = captureIo({});
      await main(['query', '--list', '--out', out], { ...io, platform });
      return stderr();
    };
    expect(await run('win32')).toMatch(/^note: on Windows the files are not made private .*\n/);
    expect(await run('linux')).not.toContain('made private');
  });
});
