import { main } from './main.ts';

// Exit explicitly once output is flushed: idle keep-alive sockets must not hold a finished command open.
const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
process.stdout.write('', () => process.exit(code));
