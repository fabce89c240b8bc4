import { agrees, disagreementText, type EventsAgreement } from '../core/evidence/evidence-agreement.ts';
import {
  EVENTS_FILE,
  HOURS_FILE,
  LAKE_FOLDER,
  MANIFEST_FILE,
  QUARANTINED_FILE,
  SUMS_FILE,
} from '../core/evidence/evidence-bundle.ts';

/** What the README of an evidence bundle states: the case, who made it, what was found. */
export interface EvidenceReadmeFacts {
  createdAt: string;
  tool: string;
  /** Node's version (`process.version`), which ran the tool. */
  node: string;
  /** DuckDB's version, when the queries ran on it (with a user); undefined: no query ran. */
  duckdb: string | undefined;
  lake: string;
  instance: string;
  domoCustomer: string | undefined;
  from: string;
  to: string;
  userId: string | undefined;
  counts: {
    events: number;
    quarantined: number;
    hours: number;
    hours_with_manifest: number;
    hours_with_events: number;
  };
  check: { result: string; caveats: readonly string[]; head: string | undefined };
  /** The catalog queries run, by file: name and rows. */
  queries: readonly { name: string; file: string; rows: number }[];
  /** The events against user_activity's rows; undefined without a user. */
  agreement?: EventsAgreement | undefined;
}

/** Whether the events are the timeline's rows, as the README states it. */
function agreementLines(agreement: EventsAgreement | undefined): string[] {
  if (agreement === undefined) return [];
  if (!agrees(agreement)) return [`Compared: ${disagreementText(agreement)}.`];
  return [
    `Compared: every line of ${EVENTS_FILE} is a row of queries/user_activity.json and every row
          a line (by event_id): the lines and the query's rows are the same events.`,
  ];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** What the bundle holds, said of the user or of the whole period. */
function whatLines(facts: EvidenceReadmeFacts): string[] {
  const { counts, userId } = facts;
  if (userId === undefined) {
    return [`What:     every event the lake holds for the period: ${plural(counts.events, 'event')}.`];
  }
  const found =
    counts.events === 0
      ? `NO EVENT of the period names user ${userId}: ${EVENTS_FILE} is empty. The hours' coverage
          manifests and the check below say which hours the lake holds, so this is "none in the
          hours the lake holds", not "none found in part of them".`
      : `${plural(counts.events, 'event')} in ${plural(counts.hours_with_events, 'hour')}.`;
  return [
    `What:     the events of Domo user ${userId}: those by the user, those the user made acting
          as another (actor_id), and those done to the user (a USER object of that id), as the
          catalog query user_activity selects them. ${found}`,
    `          Quarantined entries (served by Domo, not readable as events) whose text holds the
          id: ${counts.quarantined}.`,
  ];
}

/** The lake's check of the period, as verify reported it. */
function checkLines(check: EvidenceReadmeFacts['check']): string[] {
  return [
    `Check:    the lake's own check of these hours with its digest chain (verify --integrity):
          ${check.result}${check.caveats.length > 0 ? ` (${check.caveats.join('; ')})` : ''}.`,
    ...(check.head === undefined ? [] : [`          Head of the digest chain: ${check.head}.`]),
  ];
}

const FILES = [
  [
    EVENTS_FILE,
    'the events, each line exactly as the lake stores it (its gzip NDJSON hour objects), hour by hour, in the order each object holds them',
  ],
  [QUARANTINED_FILE, 'the quarantined entries kept, each line as stored'],
  [
    HOURS_FILE,
    "each hour of the period: the lake's objects read (key, SHA-256, size: what the digest chain records of each), the lines each held and how many were kept; null: no such object",
  ],
  [
    `${LAKE_FOLDER}/coverage/...`,
    "the coverage manifests of the period's hours, as stored, at their key in the lake",
  ],
  ['verify.txt, verify.json', "the lake's check of the period (verify --integrity), as text and as JSON"],
  [
    'queries/*.json',
    'the catalog queries run for the user, rows as JSON, each with its .provenance.json (the query, parameters, notes, and the sha256 of the rows)',
  ],
  ['README.txt', 'this file'],
  [MANIFEST_FILE, 'the case, who made the bundle, and every file above with its SHA-256 and size'],
  [SUMS_FILE, 'the SHA-256 of every other file, for sha256sum -c'],
] as const;

/** The README.txt of a bundle: what it is, where from, and how a third party checks it. */
export function evidenceReadme(facts: EvidenceReadmeFacts): string {
  const files = FILES.filter(([name]) => facts.userId !== undefined || name !== 'queries/*.json');
  return [
    'Evidence bundle: activity from a Domo Activity Log lake (domo-activity-lake)',
    '',
    ...whatLines(facts),
    `Period:   ${facts.from} to ${facts.to} (UTC, the end excluded; ${plural(facts.counts.hours, 'hour')},
          ${facts.counts.hours_with_manifest} of them with a coverage manifest).`,
    `Lake:     ${facts.lake}, instance ${facts.instance}${facts.domoCustomer === undefined ? '' : `, Domo customer ${facts.domoCustomer}`}.`,
    `Made:     ${facts.createdAt} by ${facts.tool}.`,
    `Software: Node.js ${facts.node}${facts.duckdb === undefined ? '' : `; the queries ran on DuckDB ${facts.duckdb}`}.`,
    `Times:    UTC throughout: the period, the hours of ${HOURS_FILE}, the manifest's dates, the
          events' times as stored${facts.userId === undefined ? '' : ", and the queries' rows (their time_zone UTC)"}.`,
    ...checkLines(facts.check),
    ...facts.queries.map(({ name, file, rows }) => `Query:    ${name}: ${plural(rows, 'row')} (${file}).`),
    ...agreementLines(facts.agreement),
    '',
    'Files',
    ...files.map(([name, what]) => `  ${name}\n      ${what}.`),
    '',
    'Checking the files',
    `  In this folder: sha256sum -c ${SUMS_FILE}   (macOS: shasum -a 256 -c ${SUMS_FILE})`,
    '  Windows (PowerShell, in this folder): every line printed must end OK',
    `    Get-Content -Encoding UTF8 ${SUMS_FILE} | ForEach-Object { $h, $p = $_ -split '  ', 2;`,
    '      $a = (Get-FileHash -Algorithm SHA256 -LiteralPath $p).Hash.ToLower();',
    "      \"$p $(if ($a -eq $h) { 'OK' } else { 'FAILED' })\" }",
    '  Every line must end OK. That proves the files are the ones written when the bundle',
    `  was made, and nothing more: the ${SUMS_FILE} itself is only as good as the copy of it`,
    '  (or of its own sha256) that was recorded elsewhere when the bundle was handed over.',
    '  That the lines are what the lake stored since ingest is proved against the lake and its',
    `  digest chain: ${HOURS_FILE} names each object and its SHA-256, which the chain records;`,
    '  the procedure, with the signing key and a head of the chain taken from records the',
    '  lake\'s operator cannot edit, is "Handing over evidence" in docs/operations.md of the',
    '  project, at the commit named above.',
    '',
    'No credential, key or configuration of the lake is in this bundle; the events name real',
    'people: keep it as the personal data it is.',
    '',
  ].join('\n');
}
