// Preloaded (`node --import`) into the demo that test/cli/demo-interrupt.test.ts stops with SIGINT
// while it clears an earlier demo's lake. The test sent the signal once a poll saw part of a big
// folder gone; under load the whole clearing could end between the poll and the signal, and the demo
// then said something else. Here the removal of the lake's activity_log/ first creates the file
// DEMO_CLEARING_BEGAN names (the test's cue: the clearing is under way), then waits for the signal,
// which ends the process. A test that died never sends it: after a minute the clearing goes on.
import { writeFileSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const { DEMO_CLEARING_BEGAN } = process.env;
// Read once, so that a process this command starts does not hold too.
delete process.env.DEMO_CLEARING_BEGAN;

if (DEMO_CLEARING_BEGAN) {
  const rm = fsPromises.rm;
  let held = false;
  fsPromises.rm = async (path, ...rest) => {
    if (!held && String(path).endsWith('activity_log')) {
      held = true;
      writeFileSync(DEMO_CLEARING_BEGAN, '');
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    }
    return rm(path, ...rest);
  };
  // The demo imports `rm` by name: the named export follows the patched property only after this.
  syncBuiltinESMExports();
}
