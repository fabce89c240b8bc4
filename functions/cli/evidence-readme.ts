import { agrees, disagreementText, type LinesCompared } from '../core/evidence/evidence-agreement.ts';
import {
  type BundleAlert,
  EVENTS_FILE,
  type GeoDatabaseUse,
  HOURS_FILE,
  LAKE_FOLDER,
  MANIFEST_FILE,
  QUARANTINED_FILE,
  SUMS_FILE,
} from '../core/evidence/evidence-bundle.ts';
import type { AddressCase } from '../core/evidence/evidence-hours.ts';
import { addressText, nameText, notOfCase } from './evidence-alert.ts';
import { CHECK_FILE } from './evidence-check-script.ts';
import { checkScriptSha256 } from './evidence-check-script-file.ts';

/** What the README of an evidence bundle states: the case, who made it, what was found. */
export interface EvidenceReadmeFacts {
  createdAt: string;
  tool: string;
  /** Node's version (`process.version`), which ran the tool. */
  node: string;
  /** Node's Unicode version (`process.versions.unicode`), which folded the names. */
  unicode?: string | undefined;
  /** DuckDB's version, when the queries ran on it (with a user); undefined: no query ran. */
  duckdb: string | undefined;
  /** The lake's folder, by its name alone. */
  lake: string;
  instance: string;
  domoCustomer: string | undefined;
  from: string;
  to: string;
  userId: string | undefined;
  /** The address, network or owner whose events the bundle holds (an alert of no user); undefined: none. */
  address?: AddressCase | undefined;
  /** The name of no user id whose events the bundle holds (a lockout or burst of none); undefined: none. */
  userName?: string | undefined;
  /** What the bundle answers, as its maker noted it (--case-note); undefined: not noted. */
  note?: string | undefined;
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
  /** The geo databases the events were placed by (none: no event). */
  geoDatabases: readonly GeoDatabaseUse[];
  /** The events against the rows of user_activity or address_activity; undefined: no query compared. */
  compared?: LinesCompared | undefined;
  /** The alert the bundle was made for (evidence --alert); undefined: none. */
  alert?: BundleAlert | undefined;
}

/**
 * The alert the bundle was made for: which, where its record is, that the digest chain does not
 * vouch for it but check.py given the lake's copy compares it with the copy's archive object
 * (until 2026-12-07 README.txt did not say so), and which of its events are lines of the bundle.
 */
function alertLines(facts: EvidenceReadmeFacts): string[] {
  const { alert, address, userName } = facts;
  if (alert === undefined) return [];
  const missing = alert.event_ids_not_in_bundle;
  const held =
    missing.length === 0
      ? `All ${plural(alert.event_ids, 'event')} that raised it are lines of ${EVENTS_FILE}.`
      : `${alert.event_ids_in_bundle} of the ${plural(alert.event_ids, 'event')} that raised it are lines of
          ${EVENTS_FILE}; not: ${missing.join(', ')} (outside the period, or ${notOfCase(address, userName)}).`;
  const journey =
    alert.kind === 'impossible_travel'
      ? ` (or from the UTC day of
          the journey's departure, the user's previous sign-in, when earlier)`
      : '';
  const period =
    alert.user_id === null
      ? `it names no user: the period is the hours
          around it, and the events those ${userName === undefined ? 'from its address, network or owner' : 'under the name its failures carried'} (What: below)`
      : `of user ${alert.user_id}: the period is the UTC day before it${journey} to the day
          after (or to the last hour the lake had pulled)`;
  return [
    `Alert:    made for alert ${alert.id},
          ${alert.kind} at ${alert.event_time} UTC, ${period}.
          Its record as the alerts archive stores it (written by the alerts function, not
          the ingest: the digest chain does not vouch for it):
          ${alert.file}
          python3 ${CHECK_FILE} --lake <copy> compares it with the copy's archive object, byte
          for byte: ask the sender for ${alert.file.slice(LAKE_FOLDER.length + 1)}
          in the lake's copy (without it, a NOTE says so).
          ${held}`,
  ];
}

/**
 * Whether the events are the compared query's rows, as the README states it; of a case by address
 * no query selects, that no query was compared, and why.
 */
function agreementLines({ compared, address, userName }: EvidenceReadmeFacts): string[] {
  if (compared === undefined) {
    if (userName !== undefined) {
      return [
        `Compared: with no query: no catalog query selects the events of a name (user_activity
          takes a user id; failed_logins_and_lockouts counts a name's failures, it does not
          list them), so none ran. python3 ${CHECK_FILE} checks each line against the case instead.`,
      ];
    }
    if (address === undefined) return [];
    return [
      `Compared: with no query: no catalog query selects the events of ${addressText(address)}
          (address_activity takes one address, an IPv4 /24 or a network owner), so none ran.
          python3 ${CHECK_FILE} checks each line against the case instead.`,
    ];
  }
  const { query, agreement, rowsLeftOut } = compared;
  if (!agrees(agreement)) return [`Compared: ${disagreementText(agreement, query)}.`];
  const leftOut =
    rowsLeftOut === 0
      ? ''
      : ` Left out: ${plural(rowsLeftOut, 'row')} of it
          whose address keys to another group (the address as a proxy hop of a forwarded-for
          list, an owner's address the alerts key to none), as the lines are.`;
  return [
    `Compared: every line of ${EVENTS_FILE} is a row of queries/${query}.json and every row
          a line (by event_id): the lines and the query's rows are the same events.${leftOut}`,
  ];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * What the bundle answers, as its maker noted it: one line, as manifest.json's case.note holds it
 * (check.py compares the two), and a line saying it is the maker's word, not the lake's.
 */
function caseLines(note: string | undefined): string[] {
  if (note === undefined) return [];
  return [
    `${CASE_LABEL}${note}`,
    "          (the sender's note of what this bundle answers, as manifest.json's case.note holds it)",
  ];
}

/** How README.txt starts the line of the case's note: check.py looks for it. */
export const CASE_LABEL = 'Case:     ';

/** How README.txt starts the case of a bundle by address: check.py looks for it, then the address. */
export const ADDRESS_LABEL = 'What:     the events from ';

/** Which events a case by address holds, by its scope. */
const ADDRESS_EVENTS: Record<AddressCase['scope'], string> = {
  address: `event whose ip_address keys to that address, as the alerts group a spray's
          failures (the first public entry of a forwarded-for list, without its port; an IPv6
          address by its /64)`,
  network: `event whose ip_address is of that network (an IPv4 /24, an IPv6 /48), as the
          alerts group a spray's failures`,
  owner: `event from a public address the geo database placed in that network owner
          (ip_asn), as the alerts group a spray's failures: its other customers' too`,
  instance: `event under a name of no user (user_id empty or 0), from any address, as the
          alerts group a spray of names of no user`,
};

/** How README.txt starts the case of a bundle by name: check.py looks for it, then the name. */
export const NAME_LABEL = 'What:     the events under ';

/** What the bundle holds, said of the user, of the address, of the name, or of the whole period. */
function whatLines(facts: EvidenceReadmeFacts): string[] {
  const { counts, userId, address, userName } = facts;
  if (userName !== undefined) {
    return [
      `${NAME_LABEL}${nameText(userName)} (by name, not by user): each event
          whose user_id names no user (empty, 0 or none) and whose user_name is that name, its
          case, width and spaces aside, as the alerts key failures that carry no user id, by
          Unicode ${facts.unicode ?? "(Node's, named under Made:)"} (check.py on a Python of an older Unicode names the
          characters it does not know, which it may fold otherwise).
          ${plural(counts.events, 'event')}.`,
      `          Quarantined entries (served by Domo, not readable as events) whose text holds the
          name, so compared: ${counts.quarantined}.`,
    ];
  }
  if (address !== undefined) {
    return [
      `${ADDRESS_LABEL}${addressText(address)} (by address, not by user): each
          ${ADDRESS_EVENTS[address.scope]}. ${plural(counts.events, 'event')}.`,
      `          Quarantined entries (served by Domo, not readable as events) ${
        address.scope === 'address' || address.scope === 'network'
          ? `whose text holds an
          address of it, keyed as above: ${counts.quarantined}`
          : `kept: none (an owner
          or no user cannot be told from an entry's text; hours.json counts them)`
      }.`,
    ];
  }
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

/** Which geo databases placed the events' addresses, and how old their data was; the queries' reading only where some ran. */
function placesLines(databases: readonly GeoDatabaseUse[], queries: boolean): string[] {
  if (databases.length === 0) return [];
  const each = databases.map(({ version, released, events }) =>
    version === null
      ? `          ${plural(events, 'event')} placed by none (an address not looked up).`
      : `          ${version}${released === null ? '' : ` (data released ${released})`}: ${plural(events, 'event')}.`,
  );
  return [
    `Places:   each event's country and network (ip_country, ip_asn, ip_org) are as stored, placed
          by the geo database its geo_db_version names${queries ? '; the queries read them as stored' : ''}:`,
    ...each,
  ];
}

/** That every time is UTC: those the tool writes end in Z, those stored or bound without a zone say so here. */
function timesLines(queries: boolean): string[] {
  return queries
    ? [
        `Times:    UTC throughout: the period, the hours of ${HOURS_FILE}, the manifest's dates, the
          events' times as stored, and the queries' rows (their time_zone UTC). Those the tool
          writes end in Z; those stored or bound without a zone are UTC too: an event's
          event_time, a coverage manifest's window_start, and a query's from_ts and to_ts (the
          SQL's parameters, as it took them: its provenance's params). The provenance's
          paramTimes gives each of those again with its zone (ending in Z), and its period the
          period's ends so.`,
      ]
    : [
        `Times:    UTC throughout: the period, the hours of ${HOURS_FILE}, the manifest's dates, the
          events' times as stored. Those the tool writes end in Z; those stored without a zone
          are UTC too: an event's event_time, a coverage manifest's window_start.`,
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
    'the catalog queries run for the case, rows as JSON, each with its .sql (the SQL that ran) and its .provenance.json (the query, parameters, notes, engine and its version, and the sha256 of the rows)',
  ],
  ['README.txt', 'this file'],
  [
    CHECK_FILE,
    "the checks below, for Python 3 and its standard library alone: it reads this folder (and, given one, the lake's copy) and writes nothing",
  ],
  [MANIFEST_FILE, 'the case, who made the bundle, and every file above with its SHA-256 and size'],
  [SUMS_FILE, 'the SHA-256 of every other file, for sha256sum -c'],
] as const;

/** What the hours' coverage says: every hour pulled, or how many were not. */
function coverageLine(counts: EvidenceReadmeFacts['counts']): string {
  const missing = counts.hours - counts.hours_with_manifest;
  return missing === 0
    ? '  Here every hour of the period has one.'
    : `  Here ${plural(missing, 'hour')} of ${counts.hours} WERE NOT PULLED: ${CHECK_FILE} lists them.`;
}

/**
 * What step 2 holds the lines to (their hour, and the user, address or name of the case), and, where
 * the bundle has them, the alert's case and period and the queries' rows: one clause a line. Until
 * 2026-12-07 the queries' clause of a bundle by address read as a fragment after a full stop.
 */
function stepTwoLines(facts: EvidenceReadmeFacts): string[] {
  const who =
    facts.userId !== undefined
      ? ' and names the user'
      : facts.address !== undefined
        ? ' and is from the group above'
        : facts.userName !== undefined
          ? ' and is under the name above'
          : '';
  const clauses = [
    `each line of ${EVENTS_FILE} is of the hour ${HOURS_FILE} counts it in${who}`,
    ...(facts.alert === undefined ? [] : ["the case and the period are the alert's"]),
    ...(facts.queries.length === 0 ? [] : ["the queries' rows agree with their provenance and the lines"]),
  ];
  return clauses.map(
    (clause, i) => `  ${i === 0 ? '' : 'that '}${clause}${i === clauses.length - 1 ? '.' : ';'}`,
  );
}

/**
 * How a receiver checks the bundle, in the order they can: the files, the files against each other
 * and the hours (check.py), the lines against the lake and its chain (what to ask for, and from
 * whom), and the queries. Every command is one of standard tools a Linux or macOS machine has.
 */
function checkingLines(facts: EvidenceReadmeFacts): string[] {
  const instance = facts.instance;
  return [
    'Checking the bundle (steps 1 to 3 with standard tools, without this project)',
    `  1. The files. In this folder: sha256sum -c ${SUMS_FILE}   (macOS: shasum -a 256 -c ${SUMS_FILE})`,
    '  Windows (PowerShell, in this folder): every line printed must end OK',
    `    Get-Content -Encoding UTF8 ${SUMS_FILE} | ForEach-Object { $h, $p = $_ -split '  ', 2;`,
    '      $a = (Get-FileHash -Algorithm SHA256 -LiteralPath $p).Hash.ToLower();',
    "      \"$p $(if ($a -eq $h) { 'OK' } else { 'FAILED' })\" }",
    '  Every line must end OK. That proves the files are the ones written when the bundle',
    `  was made, and nothing more: the ${SUMS_FILE} itself is only as good as the copy of it`,
    `  (or of its own sha256: sha256sum ${SUMS_FILE}) that was recorded elsewhere when the bundle`,
    '  was handed over (a ticket, a mail to you): ask the sender where. Without it, whoever held',
    `  the bundle could have changed any file and written ${SUMS_FILE} again.`,
    `  2. The files against each other, and the hours. In this folder: python3 ${CHECK_FILE}`,
    `  It holds ${MANIFEST_FILE} against ${SUMS_FILE}, checks that ${HOURS_FILE} accounts for every`,
    "  hour of the period once and that each hour's coverage manifest is there, of its hour; that",
    ...stepTwoLines(facts),
    '  It ends "OK: 0 check(s) failed"; every FAILED line names what differs (a line removed, an',
    '  hour dropped, a file edited) where the files disagree. It holds them to each other only: a',
    '  sender who changed a file and every count and list with it passes (step 3 holds them to the',
    `  lake), and so does one who changed ${CHECK_FILE} itself. It is the same file in every bundle of`,
    `  the version and commit named under Made:, whose ${CHECK_FILE} has the sha256`,
    `  ${checkScriptSha256()}.`,
    '  Get one not from the sender: in your own install of that version, or a checkout of the',
    '  published domo-activity-lake repository at that commit after npm ci,',
    '  run: domo-activity-lake evidence --check-script <new file>',
    '  (in a checkout: npm run -s cli -- evidence --check-script <new file>), which writes it and',
    `  prints its sha256; sha256sum ${CHECK_FILE} here must print the same. Or read it (Python, its`,
    '  standard library only).',
    '  Coverage: an hour with a coverage manifest was pulled from Domo whole; with no event in',
    "  its object (the manifest's event_count 0) nobody did anything the log records. An hour",
    '  without one was NOT PULLED: the lake cannot say what happened in it.',
    coverageLine(facts.counts),
    "  3. The lines against the lake. This bundle holds the case's lines, not the hour objects",
    `  they come from. Ask the sender for a copy of the objects ${HOURS_FILE} names (the folders`,
    `  activity_log/, coverage/ and quarantine/ of instance=${instance} for the period's days) and`,
    `  the instance's digest chain (digest/instance=${instance}/), in one folder at their keys,`,
    `  then: python3 ${CHECK_FILE} --lake <that folder>. Each object must have the SHA-256 and`,
    `  size ${HOURS_FILE} gives, hold this bundle's lines in their order and no other line of the`,
    "  case (a line left out fails, even with its hour's count lowered), and be what the chain",
    '  last recorded of it; the chain is walked link by link to its head. Without the lake, a',
    '  bundle whose sender left lines out and wrote its counts and lists again passes step 2.',
    '  The chain proves nothing by itself: anyone who can write the lake can write a chain. Who',
    '  wrote it is proved by its signatures, checked with a key you do not take from the sender:',
    '  the digest signing key (an AWS KMS key; its ARN is the stack output DigestSigningKeyArn),',
    '  fetched under your own credentials (aws kms get-public-key --key-id <ARN> --query',
    '  PublicKey --output text > pub.b64), and its fingerprint (base64 -d pub.b64 | sha256sum)',
    '  matched against the record made when the stack was deployed, kept by someone other',
    `  than the sender. Then, with openssl installed: python3 ${CHECK_FILE} --lake <that folder>`,
    "  --public-key pub.b64 verifies every digest's signature (a PEM or DER key also does); it",
    '  fails when openssl is missing, when no digest is signed, and for an unsigned digest after',
    "  a signed one. Its OK line prints the key's SHA-256 fingerprint (of its DER): the figure",
    "  recorded at deploy, which the sender's side gets with aws kms get-public-key --key-id",
    '  <ARN> --query PublicKey --output text | base64 -d | sha256sum (or, of a PEM:',
    '  openssl pkey -pubin -in pub.pem -outform DER | sha256sum). By hand, for each digest D',
    '  (the head first):',
    '    base64 -d pub.b64 > pub.der',
    String.raw`    sed -n 's/.*,"signature":{.*"value":"\([^"]*\)"}}$/\1/p' D | base64 -d > sig.der`,
    String.raw`    sed 's/,"signature":{[^}]*}}$/}/' D | tr -d '\n' > signed.json`,
    '    openssl dgst -sha256 -verify pub.der -keyform DER -signature sig.der signed.json',
    '  which prints "Verified OK"; a digest without a "signature" field is unsigned. And ask',
    "  whoever keeps the records of the chain's head (not the sender) for a head noted earlier",
    "  (a verify's head line: digest/instance=<name>/<N>.json and its sha256; or a run record's",
    '  digest_head, the number N alone): that digest must still be in the chain with the sha256',
    `  noted. python3 ${CHECK_FILE} --lake <that folder> --expect-head N=<sha256> (or N) checks it:`,
    '  it fails when the chain ends before N (digests removed from its end), and notes digests',
    "  written since by later runs; the chain's OK line prints its last number. The lake's own",
    '  check above says what it could prove ("consistency only": no signature and no noted head',
    '  checked).',
    ...queriesLines(facts),
    '  The whole procedure, on the deployed lake, is "Handing over evidence" in',
    '  docs/operations.md of the project, at the commit named above.',
    '',
  ];
}

/** Step 4, for a bundle with queries: how their rows follow from the lines. */
function queriesLines(facts: EvidenceReadmeFacts): string[] {
  if (facts.queries.length === 0) return [];
  const rerun =
    facts.userId === undefined
      ? [
          '  (step 2 checks the rows of address_activity of the group above against the lines, by',
          "  event_id). To run it again: that commit of the project on the lake's copy of step 3",
          '  (query address_activity --lake <copy> with the params its .provenance.json names,',
          '  --from <from> --to <to> --format json); the sha256',
        ]
      : [
          '  (step 2 checks the rows of user_activity against the lines, by event_id). To run them',
          "  again: that commit of the project on the lake's copy of step 3 (query user_activity",
          '  --lake <copy> --param user_id=<id> --from <from> --to <to> --format json); the sha256',
        ];
  return [
    '  4. The queries. Their rows follow from the lines by the SQL beside them (queries/*.sql,',
    "  whose sha256sum is its provenance's query.sqlSha256; each ? takes the param its comment names),",
    `  run on ${facts.duckdb === undefined ? 'DuckDB' : `DuckDB ${facts.duckdb}`} by the tool and commit named above`,
    ...rerun,
    "  of what it writes is the provenance's output.sha256.",
  ];
}

/** The README.txt of a bundle: what it is, where from, and how a third party checks it. */
export function evidenceReadme(facts: EvidenceReadmeFacts): string {
  const files: (readonly [string, string])[] = FILES.filter(
    ([name]) => facts.queries.length > 0 || name !== 'queries/*.json',
  );
  if (facts.alert !== undefined) {
    files.splice(4, 0, [
      facts.alert.file,
      'the alert this bundle was made for, as the alerts archive stores it',
    ]);
  }
  return [
    'Evidence bundle: activity from a Domo Activity Log lake (domo-activity-lake)',
    '',
    ...caseLines(facts.note),
    ...alertLines(facts),
    ...whatLines(facts),
    `Period:   ${facts.from} to ${facts.to} (UTC, the end excluded; ${plural(facts.counts.hours, 'hour')},
          ${facts.counts.hours_with_manifest} of them with a coverage manifest).`,
    `Lake:     the folder ${JSON.stringify(facts.lake)} (its path on the sender's machine is not written),
          instance ${facts.instance}${facts.domoCustomer === undefined ? '' : `, Domo customer ${facts.domoCustomer}`}.`,
    `Made:     ${facts.createdAt} by ${facts.tool}.`,
    `Software: Node.js ${facts.node}${facts.duckdb === undefined ? '' : `; the queries ran on DuckDB ${facts.duckdb}`}.`,
    ...placesLines(facts.geoDatabases, facts.queries.length > 0),
    ...timesLines(facts.queries.length > 0),
    ...checkLines(facts.check),
    ...facts.queries.map(({ name, file, rows }) => `Query:    ${name}: ${plural(rows, 'row')} (${file}).`),
    ...agreementLines(facts),
    '',
    'Files',
    ...files.map(([name, what]) => `  ${name}\n      ${what}.`),
    '',
    ...checkingLines(facts),
    'No credential, key or configuration of the lake is in this bundle; the events name real',
    'people: keep it as the personal data it is.',
    '',
  ].join('\n');
}
