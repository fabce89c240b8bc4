#!/usr/bin/env node
// The package's command: runs the prebuilt CLI bundle (dist/cli.mjs, plain JavaScript), building it
// first when it is missing or older than its sources, so no TypeScript is compiled at run time.
// First: on a Node too old, a version message instead of a later module's stack trace.
import '../scripts/node-version.mjs';
import { pathToFileURL } from 'node:url';
import { ensureCliBundle } from '../scripts/build-cli.mjs';

await import(pathToFileURL(await ensureCliBundle()).href);
