// Preloaded (`node --import`) into the CLI that test/cli/query-signal-during-output.test.ts runs:
// on the first write to stdout, the process sends itself the signal SIGNAL_ON_OUTPUT names. That
// write runs in the synchronous stretch after DuckDB answered (rows converted, formatted, handed to
// stdout), where a signal waits in libuv until the event loop polls; one a process sends itself is
// caught before `kill` returns, so the signal lands in that stretch every time, as a Ctrl-C during
// seconds of formatting does, with no timer to race.
const { SIGNAL_ON_OUTPUT: signal } = process.env;
// Read once, so that a process this command starts does not signal too.
delete process.env.SIGNAL_ON_OUTPUT;

if (signal) {
  const write = process.stdout.write;
  let sent = false;
  process.stdout.write = function (...args) {
    if (!sent) {
      sent = true;
      process.kill(process.pid, signal);
    }
    return write.apply(this, args);
  };
}
