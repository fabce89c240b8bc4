// Preloaded (`node --import`, through NODE_OPTIONS) into a command that test/cli/terminal-display.test.ts
// runs in a tmux pane: the first time the command writes a line matching PANE_HOLD to stderr (the
// pane's terminal), it stops right after that write until the test has read the screen. A line
// that a step shows while it runs is on screen only as long as the step takes (the demo's query
// catalog: ~0.7 s); the test reads the screen every 50 ms, but with three busy loops beside it the
// readings were up to 1.5 s apart, and that line was sometimes never read. Node writes to a TTY synchronously on Linux:
// the text is in the terminal before the process stops, and nothing after it is.
//
// A held frame proves the line was drawn, not that it stayed while its step ran: PANE_HOLD_REPORT
// names a file that gets the milliseconds from the release to the first write without the line
// (the step's end clearing it), so a line drawn only after its step would show ~0 ms.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const KEYS = ['PANE_HOLD', 'PANE_HOLD_TMUX', 'PANE_HOLD_SOCKET', 'PANE_HOLD_CHANNEL', 'PANE_HOLD_REPORT'];
const { PANE_HOLD, PANE_HOLD_TMUX, PANE_HOLD_SOCKET, PANE_HOLD_CHANNEL, PANE_HOLD_REPORT } = process.env;
// Read once, so that a process this command starts does not hold too.
for (const key of KEYS) delete process.env[key];

/**
 * Waits on tmux; a test that died (its worker killed) never signals, so the wait gives up after two
 * minutes and the command carries on and ends, instead of blocking its pane for good.
 */
function signalled(...argv) {
  try {
    execFileSync(PANE_HOLD_TMUX, ['-S', PANE_HOLD_SOCKET, ...argv], { stdio: 'ignore', timeout: 120_000 });
  } catch {
    // Carried on: the test, if still there, fails on what it reads.
  }
}

if (PANE_HOLD && PANE_HOLD_TMUX && PANE_HOLD_SOCKET && PANE_HOLD_CHANNEL) {
  const pattern = new RegExp(PANE_HOLD);
  const write = process.stderr.write;
  let held = false;
  let releasedAt;
  process.stderr.write = function (chunk, ...rest) {
    const written = write.call(this, chunk, ...rest);
    // Line by line, as the test reads the screen: a status line is drawn after a carriage return.
    const shows = String(chunk)
      .split(/[\r\n]/)
      .some((line) => pattern.test(line));
    if (!held && shows) {
      held = true;
      // The test waits on the first channel; the second is signalled once it has read the screen
      // (tmux keeps a signal nobody waits for yet, so neither side can miss the other's).
      signalled('wait-for', '-S', `${PANE_HOLD_CHANNEL}-held`);
      signalled('wait-for', `${PANE_HOLD_CHANNEL}-go`);
      releasedAt = performance.now();
    } else if (releasedAt !== undefined && !shows) {
      if (PANE_HOLD_REPORT)
        writeFileSync(PANE_HOLD_REPORT, String(Math.round(performance.now() - releasedAt)));
      releasedAt = undefined;
    }
    return written;
  };
}
