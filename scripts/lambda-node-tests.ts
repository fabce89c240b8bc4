// The test files `npm run test:lambda-node` runs on the Lambdas' Node (scripts/test-on-lambda-node.ts).
// Apart so a test can read them (test/scripts/lambda-node-tests.test.ts) without starting the run.

/**
 * The folders whose tests run code a Lambda bundles: the core and the adapters, the handlers'
 * folders and what they share, and the ingest run end to end (against the simulator over HTTP, under
 * the campaigns' faults, on an older lake); and the command line, which operators run on their own
 * Node, since Node 20's end of support (April 2026) as likely 24 as the floor of `engines` that
 * `npm test` proves. A folder here holds every file under it.
 */
export const ON_LAMBDA_NODE: readonly string[] = [
  'test/core/',
  'test/adapters/',
  'test/ingest/',
  'test/report/',
  'test/alerts/',
  'test/shared/',
  'test/integration/',
  'test/campaign/',
  'test/upgrade/',
  'test/cli/',
];

/**
 * Files of the folders left out that are the only ones to import a module a Lambda bundles (the
 * layering test, test/architecture/import-rules.test.ts, names such a file: list it here, or test
 * that module from one of the folders above).
 */
export const LAMBDA_NODE_FILES: readonly string[] = [
  'test/infra/ingest-settings-agreement.test.ts',
  'test/queries/address-activity.test.ts',
];

/**
 * Files of the folders above left to `npm test`'s Node 20, by one rule: a file whose every contact
 * with the runtime (HTTP, gzip, time zones and Intl, hashing, DuckDB, the disk, a child process) is
 * run on Node 24 by the files its reason names, so that what it adds is the product's logic on its
 * inputs (a document's text, a fixture's detections, SQL's answer, a rendering, python3's check.py),
 * the same on any Node. Each reason says why and names those files after "tested on Node 24 by":
 * the layering test (test/architecture/lambda-node-selection.ts) fails when one is not a test file
 * this pass runs. Measured per file on Node 24 (2026-12-08, every file run): ~107 of ~350 CPU-s.
 */
export const OFF_LAMBDA_NODE_FILES: Readonly<Record<string, string>> = {
  'test/cli/compromised-account-runbook.test.ts':
    "docs/operations.md's runbook run as written on the demo's lake: its alerts, query, verify and " +
    'evidence commands are tested on Node 24 by test/cli/alerts-command.test.ts, ' +
    'test/cli/query-command.test.ts, test/cli/verify-integrity.test.ts and test/cli/evidence-command.test.ts',
  'test/cli/readme-demo-transcript.test.ts':
    "the README's and docs/cli.md's demo transcript against a demo run: the demo is tested on Node 24 " +
    'by test/cli/demo-verify-simulate.test.ts and test/cli/demo-interrupt.test.ts',
  'test/cli/demo-planted-week.test.ts':
    "where the demo plants its patterns, the simulator's seeded draw over the report week: the demo's " +
    'ingest, report and alerts are tested on Node 24 by test/cli/demo-verify-simulate.test.ts',
  'test/cli/demo-spray-users.test.ts':
    "`demo --users` planting its spray, the simulator's seeded draw: the demo is tested on Node 24 by " +
    'test/cli/demo-verify-simulate.test.ts',
  'test/cli/demo-alerts-week.test.ts':
    "the demo's alerts ending with its report week, a bound of dates: the alerts command on a lake is " +
    'tested on Node 24 by test/cli/alerts-command.test.ts and the demo by test/cli/demo-verify-simulate.test.ts',
  'test/cli/report-dig-into-user.test.ts':
    "the command a report's text names for a user, and its rows: the report and query commands on " +
    'DuckDB are tested on Node 24 by test/cli/report-command.test.ts and test/cli/query-command.test.ts',
  'test/cli/report-json-output.test.ts':
    "--json's escaping of hostile names in the report's model: the report command's --json run is " +
    'tested on Node 24 by test/cli/report-command.test.ts',
  'test/cli/status-skipped-hours.test.ts':
    "status's reading of a skip note against the hours it names: the status command on a lake on disk " +
    'is tested on Node 24 by test/cli/status-command.test.ts',
  'test/cli/npm-taken-options.test.ts':
    "what npm takes of the options typed after `npm run cli`: the npm and node it starts are the PATH's " +
    '(Node 20 in CI) on either pass, and the refusals it leads to are argument logic; the options are ' +
    'tested on Node 24 by test/cli/options.test.ts',
  'test/cli/evidence-check-py.test.ts':
    "the bundle's check.py run by python3 over bundles and lakes, the same on any Node: the bundles, " +
    'written by the command, are tested on Node 24 by test/cli/evidence-command.test.ts',
  'test/cli/evidence-alert.test.ts':
    "which events `evidence --alert` bundles around an archived alert, and check.py's verdicts on them " +
    '(python3): the bundle is written through the lake, DuckDB and hashing, tested on Node 24 by ' +
    'test/cli/evidence-command.test.ts',
  'test/cli/evidence-name.test.ts':
    "which events a bundle of a name holds, and check.py's verdicts on them (python3): the bundle is " +
    'written through the lake, DuckDB and hashing, tested on Node 24 by test/cli/evidence-command.test.ts',
  'test/cli/evidence-case-note.test.ts':
    "a bundle's case note in its manifest and README, and check.py's verdicts on it (python3): the " +
    'bundle is written, tested on Node 24 by test/cli/evidence-command.test.ts',
  'test/cli/report-replaced-instance.test.ts':
    "report's words when a second instance's files replace the first's in one folder: the report " +
    'command on DuckDB and the disk is tested on Node 24 by test/cli/report-command.test.ts',
  'test/cli/report-max-days.test.ts':
    "report's reading of --max-days, a bound of dates: the report command is tested on Node 24 by " +
    'test/cli/report-command.test.ts',
  'test/cli/report-alert-judging.test.ts':
    "report's options for the alerts' sign-in judging and their limits: the report command is tested " +
    'on Node 24 by test/cli/report-command.test.ts',
  'test/cli/query-coverage-notes.test.ts':
    "query's notes on the hours a period's lake covers, text from figures: the query command on " +
    'DuckDB is tested on Node 24 by test/cli/query-command.test.ts',
  'test/cli/query-history-notes.test.ts':
    "suspicious_logins' notes on the history it judges by, text from figures: the query command on " +
    'DuckDB is tested on Node 24 by test/cli/query-command.test.ts',
  'test/cli/verify-aged-out-tampered.test.ts':
    "verify's range when last-run.json's max_days was edited, a bound of dates: verify --integrity on " +
    'a lake on disk is tested on Node 24 by test/cli/verify-integrity.test.ts',
  'test/cli/alerts-next-steps.test.ts':
    'the queries alerts prints after its table, text from the most serious alert: the alerts command is ' +
    'tested on Node 24 by test/cli/alerts-command.test.ts',
  'test/cli/alerts-max-days.test.ts':
    'alerts --max-days forgetting old deactivations, a bound of dates: the alerts command is ' +
    'tested on Node 24 by test/cli/alerts-command.test.ts',
  'test/cli/alerts-expected-instances.test.ts':
    "alerts --expected's rules by instance, matching of names: the alerts command is " +
    'tested on Node 24 by test/cli/alerts-command.test.ts',
  'test/cli/verify-start-unlinked.test.ts':
    "where plain verify begins, from the lake's records of its start: verify on a lake on disk is " +
    'tested on Node 24 by test/cli/verify-integrity.test.ts',
  'test/cli/verify-integrity-hours.test.ts':
    'verify --integrity over some hours of a chain, which objects it compares: verify is ' +
    'tested on Node 24 by test/cli/verify-integrity.test.ts',
  'test/cli/verify-known-versions.test.ts':
    "verify's reading of the lake's known versions: verify on a lake on disk is " +
    'tested on Node 24 by test/cli/verify-integrity.test.ts',
  'test/cli/verify-empty-instance-folder.test.ts':
    "verify's reading of an instance folder of an empty name, a pattern of paths: verify is " +
    'tested on Node 24 by test/cli/verify-integrity.test.ts',
  'test/cli/verify-demo-lake.test.ts':
    "verify's advice on a lake an interrupted demo left: verify on a lake on disk is " +
    'tested on Node 24 by test/cli/verify-integrity.test.ts',
  'test/cli/query-cut-rows-note.test.ts':
    "query's note on rows a query cut at its own bound, text from figures: the query command on DuckDB is " +
    'tested on Node 24 by test/cli/query-command.test.ts',
  'test/cli/query-default-to-last-hour.test.ts':
    "query's default end at the lake's last hour, a bound of dates: the query command on DuckDB is " +
    'tested on Node 24 by test/cli/query-command.test.ts',
  'test/cli/portable-sql.test.ts':
    "query --sql's warnings of SQL that Athena answers otherwise, patterns of text: the query command on DuckDB is " +
    'tested on Node 24 by test/cli/query-command.test.ts',
  'test/cli/status-skip-stored-hours.test.ts':
    "status's judging of a skip note against hours stored since, logic over records: the status command is " +
    'tested on Node 24 by test/cli/status-command.test.ts',
  'test/cli/status-verify-repull-agree.test.ts':
    'status and verify judging hours a run pulls again by one rule: the status command is ' +
    'tested on Node 24 by test/cli/status-command.test.ts',
  'test/cli/evidence-check-address.test.ts':
    "check.py's Python twin of the bundle's address rule, run by python3: the TypeScript rule and the " +
    'bundles it selects are tested on Node 24 by test/core/evidence/evidence-hours.test.ts and ' +
    'test/cli/evidence-command.test.ts',
  'test/cli/evidence-check-escapes.test.ts':
    "check.py's Python twin of the bundle's JSON-escape rule, run by python3: the TypeScript rule is " +
    'tested on Node 24 by test/core/evidence/evidence-hours.test.ts',
  'test/cli/evidence-check-unicode.test.ts':
    "check.py's Python twin of the bundle's Unicode rules, run by python3: the TypeScript rules are " +
    'tested on Node 24 by test/core/evidence/evidence-hours.test.ts',
  'test/core/status/status-hour-findings.test.ts':
    "status's findings of hours deleted or unreadable under their manifests, logic over a lake's " +
    'listing: the status command on a lake on disk is tested on Node 24 by test/cli/status-command.test.ts',
  'test/core/report/events-not-stored.test.ts':
    "the report's data_health SQL as DuckDB answers it on fixture lakes (as test/queries/): DuckDB " +
    'reading a lake, its zone rules too, is tested on Node 24 by test/cli/report-command.test.ts and ' +
    'test/adapters/duckdb-zone-rules.test.ts',
  'test/core/report/failed-logins-bounded.test.ts':
    "the failed-logins query's row bound, SQL as DuckDB answers it: the report on DuckDB is tested on " +
    'Node 24 by test/cli/report-command.test.ts',
  'test/core/alerts/alerts-match-sql.test.ts':
    "the alert detections agreeing with the report's SQL over one fixture lake, logic and SQL: the " +
    'alerts command end to end is tested on Node 24 by test/cli/alerts-command.test.ts and the SQL on ' +
    'DuckDB by test/cli/report-command.test.ts',
  'test/core/alerts/dig-further-sql.test.ts':
    'the query to dig further, SQL as DuckDB answers it over a lake on disk (as test/queries/): DuckDB ' +
    'reading a lake is tested on Node 24 by test/adapters/duckdb-engine.test.ts and test/cli/query-command.test.ts',
  'test/core/alerts/dig-further-v6-pattern.test.ts':
    "the query to dig further's pattern of an IPv6 /64, SQL text and DuckDB's answer: DuckDB is tested " +
    'on Node 24 by test/adapters/duckdb-engine.test.ts',
  'test/core/alerts/dig-further-spray-texts.test.ts':
    "the query to dig further of a spray, SQL text within Athena's limit: DuckDB is tested on Node 24 by " +
    'test/adapters/duckdb-engine.test.ts',
  'test/core/alerts/dig-further-spray-networks.test.ts':
    "the query to dig further of a network's spray, SQL text and DuckDB's answer: DuckDB is tested on " +
    'Node 24 by test/adapters/duckdb-engine.test.ts',
  'test/core/report/suspicious-logins-bounded.test.ts':
    "the suspicious-logins query's row bound, SQL as DuckDB answers it: the report on DuckDB is " +
    'tested on Node 24 by test/cli/report-command.test.ts',
  'test/core/mails-in-chromium.test.ts':
    "the mails' HTML as headless Chromium lays it out, the same on any Node: the mails are rendered " +
    'and sent, tested on Node 24 by test/report/handler.test.ts and test/alerts/handler.test.ts',
  'test/core/mails-in-forced-colors.test.ts':
    "the report's HTML in Chromium's forced colours, the same on any Node: the mail is rendered and " +
    'sent, tested on Node 24 by test/report/handler.test.ts',
  'test/core/report/attention-first-screen.test.ts':
    "the report's first screen as Chromium lays it out at a phone's width, the same on any Node: the " +
    'mail is rendered and sent, tested on Node 24 by test/report/handler.test.ts',
  'test/core/alert-id-in-chromium.test.ts':
    "the alerts mail's ids as Chromium lays them out, the same on any Node: the mail is rendered and " +
    'sent, tested on Node 24 by test/alerts/handler.test.ts',
  'test/core/report/render-html.test.ts':
    "the report's HTML rendered from a model: its number formatting (Intl) is tested on Node 24 by " +
    'test/core/report/render-text.test.ts, and the mail rendered and sent by test/report/handler.test.ts',
  'test/core/report/html-line-length.test.ts':
    "the report's HTML lines cut under RFC 5322's 998 octets, text from a model: the mail's rendering " +
    'and sending are tested on Node 24 by test/report/handler.test.ts',
};

/**
 * The folders left to `npm test`'s Node 20, each with why: what they prove does not change with the Node that runs it, or
 * runs on the developer's Node only.
 */
export const OFF_LAMBDA_NODE: Readonly<Record<string, string>> = {
  'test/infra/':
    "the CDK app: synth runs on the operator's Node too, but builds a template; the rules in it that " +
    'follow the Node (time zones: zoned-time.ts, zone-abbreviations.ts) are core modules whose own tests run here',
  'test/queries/':
    "the catalog's SQL as DuckDB answers it: Athena runs it for the Lambdas, whatever their Node; " +
    "the code around it (parameters, rows, the catalog's loader) is the core's and the adapters'",
  'test/simulator/': 'the Domo simulator, a development and demo tool the Lambdas never load',
  'test/architecture/': 'rules read off the source text, the same on any Node',
  'test/bench/': "the bench, which runs its own children on the Lambdas' Node where it measures them",
  'test/scripts/': "the project's own scripts, run on the developer's Node",
  'test/support/': "the tests' own helpers",
};

/** vitest's options whose value may follow as the next argument (`-t settle`): not a file filter. */
const TAKES_VALUE =
  /^(-t|--testNamePattern|--reporter|--outputFile|--project|--shard|--exclude|--bail|--retry|--testTimeout|--hookTimeout|--maxWorkers|--pool|--environment|--mode)$/;

/**
 * vitest's arguments for the Node 24 pass: `run`, the selection unless the caller names files of
 * their own (an argument that is neither an option nor an option's value: a file filter replaces
 * the selection, `test/` asks for every file), then the caller's arguments.
 */
export function lambdaNodeArgs(extra: readonly string[]): string[] {
  const ownFiles = extra.some((arg, at) => !arg.startsWith('-') && !TAKES_VALUE.test(extra[at - 1] ?? ''));
  const selection = ownFiles
    ? []
    : [
        ...ON_LAMBDA_NODE,
        ...LAMBDA_NODE_FILES,
        ...Object.keys(OFF_LAMBDA_NODE_FILES).flatMap((file) => ['--exclude', file]),
      ];
  return ['run', ...selection, ...extra];
}
