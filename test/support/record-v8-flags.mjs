// Preloaded (`node --import`) into a CLI process by test/cli/cli-bundle.test.ts: V8 has no way to
// read its flags back, so this records each one the process sets while it runs and writes them to
// stderr as it exits. syncBuiltinESMExports carries the wrapper to the CLI's `from 'node:v8'`.
import { writeSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import v8 from 'node:v8';

const set = [];
const setFlags = v8.setFlagsFromString;
v8.setFlagsFromString = (flags) => {
  set.push(flags);
  setFlags(flags);
};
syncBuiltinESMExports();
process.on('exit', () => writeSync(2, `V8 flags set: ${JSON.stringify(set)}\n`));
