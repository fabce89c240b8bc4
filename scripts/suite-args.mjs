// The arguments `npm test` (scripts/test.mjs) gives vitest. Apart so a test can read them without
// starting the suite.

/** The vitest options that narrow which tests run, with or without `=value`. */
const NARROWING = /^(-t|--testNamePattern|--project|--shard|--changed|--related)(=|$)/;

/**
 * `run`, the caller's arguments, and `--coverage` unless they narrow the run to a part of the
 * suite: a file filter (any argument that is not an option) or an option of NARROWING. The
 * thresholds (vitest.config.ts) are the whole suite's, so one file's run failed them every time
 * after its tests passed (review R-SHAPE3 M4). An option's value read as a filter
 * (`--reporter verbose`) only leaves coverage out; `--coverage` given asks for it anyway.
 */
export function suiteArgs(extra) {
  const narrowed = extra.some((arg) => !arg.startsWith('-') || NARROWING.test(arg));
  return ['run', ...(narrowed ? [] : ['--coverage']), ...extra];
}
