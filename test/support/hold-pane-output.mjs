// Preloaded (`node --import`, through NODE_OPTIONS) into a command that test/cli/terminal-display.test.ts
// runs in a tmux pane: the first time the command writes a line matching PANE_HOLD to stderr (the
// pane's terminal), it stops right after that write until the test has read the screen. A line
// that a step shows while it runs is on screen only as long as the step takes (the demo's query
// catalog: ~0.7 s); the test reads the screen every 50 ms, but with three busy loops beside it the
// readings were up to 1.5 s apart, and that line was sometimes never read. Node writes to a TTY synchronously on Linux:
// the text is in the terminal before the process stops, and nothing after it is.
import { execFileSync } from 'node:child_process';

const { PANE_HOLD, PANE_HOLD_TMUX, PANE_HOLD_SOCKET, PANE_HOLD_CHANNEL } = process.env;
// Read once, so that a process this command starts does not hold too.
for (const key of ['PANE_HOLD', 'PANE_HOLD_TMUX', 'PANE_HOLD_SOCKET', 'PANE_HOLD_CHANNEL'])
  delete process.env[key];

if (PANE_HOLD && PANE_HOLD_TMUX && PANE_HOLD_SOCKET && PANE_HOLD_CHANNEL) {
  const pattern = new RegExp(PANE_HOLD);
  const tmux = (...argv) =>
    execFileSync(PANE_HOLD_TMUX, ['-S', PANE_HOLD_SOCKET, ...argv], { stdio: 'ignore' });
  const write = process.stderr.write;
  let held = false;
  process.stderr.write = function (chunk, ...rest) {
    const written = write.call(this, chunk, ...rest);
    // Line by line, as the test reads the screen: a status line is drawn after a carriage return.
    if (
      !held &&
      String(chunk)
        .split(/[\r\n]/)
        .some((line) => pattern.test(line))
    ) {
      held = true;
      // The test waits on the first channel; the second is signalled once it has read the screen
      // (tmux keeps a signal nobody waits for yet, so neither side can miss the other's).
      tmux('wait-for', '-S', `${PANE_HOLD_CHANNEL}-held`);
      tmux('wait-for', `${PANE_HOLD_CHANNEL}-go`);
    }
    return written;
  };
}
