import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { duckDbVersion } from '../adapters/duckdb-version.ts';
import { DEFAULT_LAKE } from '../adapters/lake-location.ts';
import {
  agrees,
  disagreementText,
  eventsAgreement,
  type LinesCompared,
} from '../core/evidence/evidence-agreement.ts';
import {
  ALERT_ADDRESS_HOURS,
  ALERT_SEARCH_DAYS,
  AlertEventTally,
  type ArchivedAlert,
  alertCase,
  pulledEnd,
} from '../core/evidence/evidence-alert.ts';
import {
  type BundleAlert,
  type BundleEntry,
  type BundleFile,
  bundleEntries,
  countsOf,
  EVENTS_FILE,
  hoursFile,
  manifestFile,
  manifestPath,
  ndjsonText,
  QUARANTINED_FILE,
  sumsFile,
} from '../core/evidence/evidence-bundle.ts';
import {
  type AddressCase,
  type EvidenceHours,
  type EvidenceRequest,
  readEvidenceHours,
  rowOfAddress,
} from '../core/evidence/evidence-hours.ts';
import { ndjsonRecord } from '../core/evidence/ndjson-record.ts';
import { readBoundCustomer } from '../core/lake/customer-binding.ts';
import { sha256Hex } from '../core/lake/digest.ts';
import type { ObjectStore } from '../core/ports.ts';
import { checkParamValue } from '../core/queries/query-params.ts';
import { loadQuery } from '../queries/catalog.ts';
import { versionLine } from './cli-version.ts';
import { type CommandIo, clockOf } from './command-io.ts';
import { shellWord } from './command-line.ts';
import { queryCommand } from './commands/query.ts';
import { verifyCommand } from './commands/verify.ts';
import {
  type AlertAsked,
  addressQueryParams,
  addressText,
  alertAsked,
  alertCaseNote,
  alertFile,
  askedAlert,
  bundleAlert,
  nameText,
  notOfCase,
} from './evidence-alert.ts';
import { type CeilingCase, evidenceCeilingError } from './evidence-ceiling.ts';
import { CHECK_FILE, CHECK_SCRIPT } from './evidence-check-script.ts';
import { writeCheckScript } from './evidence-check-script-file.ts';
import { GeoDatabaseTally } from './evidence-geo.ts';
import { assertNewBundleFolder, BundleFolder, fileLines } from './evidence-out.ts';
import { type EvidenceReadmeFacts, evidenceReadme } from './evidence-readme.ts';
import { isoTime } from './filed-facts.ts';
import { jsonOutput } from './json-output.ts';
import { openLakeTarget, parseLakeOption } from './lake-target.ts';
import { type OptionSpec, parseHourRange, parseOptions } from './options.ts';
import { assertOutOutsideLake } from './out-outside-lake.ts';
import { UsageError } from './usage-error.ts';
import { type CheckValues, verifyCheckOf } from './verify-check-header.ts';

export const evidenceHelp = `Usage: domo-activity-lake evidence --from <time> --to <time> --out <dir>
                                  [--user <id>] [options]
       domo-activity-lake evidence --alert <id> --out <dir> [options]
       domo-activity-lake evidence --check-script <file>

Writes an evidence bundle into a new folder, for legal or an auditor: one
user's events of a period (or every event of it), each line exactly as the lake
stores it; the coverage manifests of the period's hours as stored; the lake's
check of those hours with its digest chain (verify --integrity, as text and
JSON); for a user, the catalog queries user_activity and user_addresses (JSON,
each with its provenance; for an alert's address, address_activity); a
manifest of every file with its SHA-256 and size, SHA256SUMS for sha256sum -c,
and a README.txt saying what it holds, when, by which version, from which
lake, and how to check it. A user with no event in the period still gets a
bundle, which says so. Nothing of the lake's configuration or credentials goes
in. A lake on disk: for the deployed lake, copy the period's days first
(docs/operations.md, "Handing over evidence").

Options:
  --user <id>             Domo's id of the user, as stored (no blanks around
                          it; not 0, Domo's "none"): their events, those
                          they made acting as another, and those done to
                          them (as query user_activity); without it, every
                          event
  --case-note <text>      what the bundle answers (a ticket, an alert's id):
                          one line of at most 200 printable characters,
                          written into README.txt and manifest.json
  --alert <id>            the bundle of that alert, read from the lake's alert
                          archive (alerts/, which the alerts function writes):
                          its user's events from the UTC day before its event
                          (or an impossible journey's departure) to the end
                          of the day after, or the last hour the lake has
                          pulled; of an alert of no user, the events of its
                          hour and the ${ALERT_ADDRESS_HOURS} hours either side under its
                          name (a lockout or burst of no user id), else
                          from its address, network or owner; its archived
                          record, and its line as the case note; instead of
                          --user, --from and --to
  --alert-date <date>     the UTC day of the alert's event, whose archive and
                          the day either side are read (default: today's and
                          the ${ALERT_SEARCH_DAYS} days before)
  --from <time>           the first hour: a whole UTC hour (2026-11-17 is
                          midnight UTC, or 2026-11-17T05:00:00Z)
  --to <time>             the end, excluded: a whole UTC hour
  --out <dir>             the bundle's folder: new, or empty (one that holds
                          anything is refused); not inside the lake
  --lake <dir>            the lake directory (default: ${DEFAULT_LAKE})
  --instance <name>       instance (default: the lake's only instance)
  --public-key <file>     passed to the check (verify --integrity): the digest
                          signing key, so that every digest's signature is
                          checked
  --expect-head <digest>=<sha256>
                          passed to the check: a head of the chain noted
                          earlier, which must still be on it. Repeatable
  --check-script <file>   write only the check.py this version puts in every
                          bundle, to a new file, and print its sha256: a
                          receiver's copy not from the sender, to hold the
                          bundle's against (its README.txt says how)

Exits 0 when the bundle is written and the lake's check of the period is OK, 1
when the check found problems (the bundle is written all the same, and says
so), 2 on a usage error. The bundle is built in a folder beside --out and
renamed to it once whole: a failure or Ctrl-C removes it, and a run killed
outright leaves <out>.incomplete-*, never a half bundle at --out.
`;

const spec = {
  user: { type: 'string' },
  'case-note': { type: 'string' },
  alert: { type: 'string' },
  'alert-date': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  out: { type: 'string' },
  lake: { type: 'string', default: DEFAULT_LAKE },
  instance: { type: 'string' },
  'public-key': { type: 'string' },
  'expect-head': { type: 'string', multiple: true },
  'check-script': { type: 'string' },
} as const;

/** The command's options, for the entry's check of the ones npm took (npm-taken-options.ts). */
export const evidenceOptions: OptionSpec = spec;

type Values = ReturnType<typeof parseOptions<typeof spec>>['values'];

/** What the command wrote, for its callers and tests. */
export interface EvidenceResult {
  folder: string;
  /** The SHA-256 of SHA256SUMS: what the sender records outside the bundle, for the receiver. */
  sumsSha256: string;
  files: number;
  events: number;
  checkResult: string;
  /** Whether the events are the rows of the compared query (true without one: every event, or an address no query selects). */
  agrees: boolean;
  /** The query the events were compared with. */
  compared?: string;
}

/** The longest case note taken, in characters: a ticket's id and a reason, not a report. */
export const CASE_NOTE_MAX = 200;

/**
 * The case note as the bundle writes it (trimmed), or a usage error saying what to change: one line
 * of printable characters. A control character (a newline, a tab, an escape) would split or hide
 * the README's line check.py compares; a format character (a right-to-left override) would show the
 * reader another text than the manifest holds.
 */
export function caseNoteOf(given: string | undefined): string | undefined {
  if (given === undefined) return undefined;
  const note = given.trim();
  const shown = JSON.stringify(given.length > 60 ? `${given.slice(0, 60)}...` : given);
  if (note === '')
    throw new UsageError(`--case-note ${shown}: empty; give the ticket or alert the bundle answers`);
  const bad = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\u2028\u2029]/u.exec(note);
  if (bad !== null) {
    const code = `U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new UsageError(
      `--case-note ${shown}: holds ${code}, not a printable character (a newline, tab or control or format character); give one line of plain text`,
    );
  }
  const length = [...note].length;
  if (length > CASE_NOTE_MAX) {
    throw new UsageError(
      `--case-note: ${length} characters, more than ${CASE_NOTE_MAX}; give the ticket's id and a short reason, and keep the rest in the ticket`,
    );
  }
  return note;
}

interface CheckedOptions {
  out: string;
  fromMs: number;
  toMs: number;
  userId?: string;
  /** Only from an alert of no user: its address, network or owner. */
  address?: AddressCase;
  /** Only from a lockout or burst of no user id: the name it is keyed by. */
  userName?: string;
  note?: string;
}

/** `--alert`'s options, checked: the case is the alert's, found once the lake is open. */
interface AlertOptions {
  out: string;
  alert: AlertAsked;
  note?: string;
}

/**
 * `--user` as given, or a usage error: an id is matched as stored, so one with white space is
 * refused, never trimmed (until 2026-12-07 `" 123 "` was trimmed and silently bundled user 123,
 * where query's `--param user_id=" 123 "` matches the id as typed); blanks around an id, typed or
 * pasted, are named with the id without them.
 */
function userOption(given: string | undefined): string | undefined {
  if (given === undefined) return undefined;
  // query's own check of user_id (`0` is Domo's "none", `042` no id of Domo's), which user_activity
  // would refuse only after the hours were read; its words, not a guess at which rule it was.
  const problem = checkParamValue('user_id', given);
  if (problem !== undefined) {
    throw new UsageError(
      `--user ${JSON.stringify(given)}: ${problem.replace(/^user_id "[^"]*" /, '')} (query most_active_users lists the users)`,
    );
  }
  const id = given.trim();
  if (id !== '' && !/\s/.test(id) && id !== given) {
    throw new UsageError(
      `--user ${JSON.stringify(given)}: blanks around the id; an id is matched as stored, so give it without them: --user ${shellWord(id)}`,
    );
  }
  if (/\s/.test(given)) {
    throw new UsageError(
      `--user ${JSON.stringify(given)}: give Domo's id of the user (query most_active_users lists them)`,
    );
  }
  return given;
}

/** The options, checked before the lake is opened: every refusal is a usage error. */
function checkedOptions(values: Values): CheckedOptions | AlertOptions {
  if (values.out === undefined)
    throw new UsageError('evidence needs --out <dir>: the new folder the bundle goes in');
  const alert = alertAsked(values);
  if (alert !== undefined) {
    const note = caseNoteOf(values['case-note']);
    return { out: values.out, alert, ...(note === undefined ? {} : { note }) };
  }
  if (values.from === undefined || values.to === undefined) {
    throw new UsageError(
      'evidence needs --from and --to: the whole UTC hours the bundle covers (or --alert <id>: the hours of that alert)',
    );
  }
  const range = parseHourRange(values.from, values.to);
  if (range === undefined) throw new UsageError('evidence needs --from and --to');
  const userId = userOption(values.user);
  const note = caseNoteOf(values['case-note']);
  return {
    out: values.out,
    ...range,
    ...(userId === undefined ? {} : { userId }),
    ...(note === undefined ? {} : { note }),
  };
}

/**
 * The case of the bundle: as given, or, for `--alert`, the archived alert's (its user and the days
 * around it, its line as the case note unless one is given).
 */
async function caseOfOptions(
  asked: CheckedOptions | AlertOptions,
  store: ObjectStore,
  instance: string,
  io: CommandIo,
): Promise<{ options: CheckedOptions; alert?: ArchivedAlert }> {
  if (!('alert' in asked)) return { options: asked };
  const nowMs = clockOf(io).now();
  const alert = await askedAlert(store, instance, asked.alert, nowMs);
  const period = alertCase(alert, await pulledEnd(store, instance, nowMs, alert));
  return { options: { out: asked.out, ...period, note: asked.note ?? alertCaseNote(alert) }, alert };
}

/** The case as the core reads it. */
const requestOf = (instance: string, options: CheckedOptions): EvidenceRequest => ({
  instance,
  fromMs: options.fromMs,
  toMs: options.toMs,
  ...(options.userId === undefined ? {} : { userId: options.userId }),
  ...(options.address === undefined ? {} : { address: options.address }),
  ...(options.userName === undefined ? {} : { userName: options.userName }),
  ...(options.note === undefined ? {} : { note: options.note }),
});

/** A command's io whose stdout is kept (and stderr passed on): what verify and query print. */
function keptStdout(io: CommandIo): { io: CommandIo; text: () => string } {
  const chunks: string[] = [];
  const stdout = new PassThrough();
  stdout.on('data', (chunk) => chunks.push(String(chunk)));
  return { io: { ...io, stdout }, text: () => chunks.join('') };
}

/**
 * verify's own check of the period, run once, its report written as text and as JSON: two runs
 * could disagree (an ingest writing between them, a clock past an hour's end), and a bundle whose
 * two forms of the check differ proves neither. Its "now" is read once, so both forms state it.
 */
async function lakeCheck(
  argv: readonly string[],
  checkValues: CheckValues,
  place: LakePlace,
  io: CommandIo,
): Promise<{ files: BundleFile[]; check: EvidenceReadmeFacts['check'] }> {
  const nowMs = clockOf(io).now();
  const text = keptStdout({ ...io, clock: { now: () => nowMs } });
  const report = await verifyCommand(argv, text.io);
  const check = verifyCheckOf(report, place.path, checkValues, nowMs);
  const head = report.integrity?.head;
  const encode = (s: string) => new TextEncoder().encode(s);
  return {
    files: [
      { path: 'verify.txt', body: encode(withoutLakePath(text.text(), place)) },
      // As `verify --json` prints it: the same function over the same report.
      { path: 'verify.json', body: encode(withoutLakePath(jsonOutput({ check, ...report }), place, true)) },
    ],
    check: {
      result: check.result,
      caveats: check.caveats ?? [],
      head: head ? `${head.key}=${head.sha256}` : undefined,
    },
  };
}

/**
 * The lake read, where it is on this machine and as the bundle names it: by its folder's name
 * alone. Its path would hand the receiver the sender's home directory and layout, and prove
 * nothing: the objects are named by their keys, and held against the chain by their SHA-256.
 */
interface LakePlace {
  /** Absolute, as verify and query name it in what they write. */
  path: string;
  /** The folder's name, which the bundle writes instead. */
  label: string;
}

const lakePlaceOf = (lake: string): LakePlace => ({ path: resolve(lake), label: basename(resolve(lake)) });

/** `s` as a JSON string holds it, without its quotes. */
const inJson = (s: string): string => JSON.stringify(s).slice(1, -1);

/** A text another command wrote, the lake's path in it replaced by its label (`json`: as JSON holds it). */
const withoutLakePath = (text: string, place: LakePlace, json = false): string =>
  json ? text.replaceAll(inJson(place.path), inJson(place.label)) : text.replaceAll(place.path, place.label);

/** A catalog query the bundle runs: its name and `--param` values. */
interface CaseQuery {
  name: string;
  params: string[];
}

/**
 * The catalog queries of the case, the first the one whose rows are compared with the lines: a
 * user's timeline and addresses; an address case's address_activity, when its parameters can
 * select the case's events ({@link addressQueryParams}); none for every event.
 */
function caseQueries(options: CheckedOptions): CaseQuery[] {
  const { userId, address } = options;
  if (userId !== undefined) {
    return [
      { name: 'user_activity', params: [`user_id=${userId}`, 'max_rows=1000000'] },
      { name: 'user_addresses', params: [`user_id=${userId}`] },
    ];
  }
  const params = address === undefined ? undefined : addressQueryParams(address);
  if (params === undefined) return [];
  return [
    {
      name: 'address_activity',
      params: [`address=${params.address}`, `asn=${params.asn}`, 'max_rows=1000000'],
    },
  ];
}

/** The catalog queries of the case, each written by query itself with its provenance. */
async function runQueries(
  asked: readonly CaseQuery[],
  common: readonly string[],
  at: CeilingCase,
  folder: BundleFolder,
  place: LakePlace,
  io: CommandIo,
): Promise<EvidenceReadmeFacts['queries']> {
  const ran: { name: string; file: string; rows: number }[] = [];
  if (asked.length === 0) return ran;
  folder.makeFolder('queries');
  for (const { name, params } of asked) {
    const file = `queries/${name}.json`;
    const kept = keptStdout(io);
    const result = await queryCommand(
      [
        name,
        ...common,
        ...params.flatMap((param) => ['--param', param]),
        '--format',
        'json',
        '--out',
        folder.pathOf(file),
        '--provenance',
        folder.pathOf(`queries/${name}.provenance.json`),
      ],
      kept.io,
    ).catch((error: unknown) => {
      throw evidenceCeilingError(error, at) ?? error;
    });
    namedInTheBundle(folder, `queries/${name}.provenance.json`, place);
    // The SQL itself, as its provenance's sqlSha256 hashes it: a receiver reads what ran.
    folder.write({ path: sqlFileOf(file), body: new TextEncoder().encode(loadQuery(name).sql) });
    ran.push({ name, file, rows: result?.result.rows.length ?? 0 });
  }
  return ran;
}

/** Where a query's SQL goes in the bundle, beside its rows: `queries/<name>.sql`. */
const sqlFileOf = (rowsFile: string): string => rowsFile.replace(/\.json$/, '.sql');

/**
 * A JSON file another command wrote into the bundle as it is built, naming a file of it by its
 * absolute path (a provenance's rows file) and the lake by its path: the file named inside the
 * bundle instead (`queries/user_activity.json`), and the lake by its label ({@link LakePlace}).
 */
function namedInTheBundle(folder: BundleFolder, file: string, place: LakePlace): void {
  const text = readFileSync(folder.pathOf(file), 'utf8');
  const inside = text.replaceAll(inJson(`${folder.buildingPath}/`), '');
  writeFileSync(folder.pathOf(file), withoutLakePath(inside, place, true));
}

/**
 * The bundle's events against the rows of the compared query (the first of {@link caseQueries})
 * it wrote into it, an address case's rows of another group left out and counted: the lines read
 * back from `events.ndjson` one at a time, so that a bundle larger than the heap is compared too.
 */
async function linesCompared(
  folder: BundleFolder,
  query: string,
  address: AddressCase | undefined,
): Promise<LinesCompared> {
  const rows = JSON.parse(readFileSync(folder.pathOf(`queries/${query}.json`), 'utf8')) as Record<
    string,
    unknown
  >[];
  const kept = address === undefined ? rows : rows.filter((row) => rowOfAddress(row, address));
  const agreement = await eventsAgreement(
    fileLines(folder.pathOf(EVENTS_FILE)),
    kept.map((row) => row.event_id),
  );
  return { query, agreement, rowsLeftOut: rows.length - kept.length };
}

/**
 * Reads the case's hours into the bundle as they come: the kept lines appended to
 * `events.ndjson` and `quarantined.ndjson` an hour at a time (hashed as written), each manifest
 * written at its key. Never more than an hour of lines in memory.
 */
async function hoursInto(
  folder: BundleFolder,
  store: ObjectStore,
  request: EvidenceRequest,
  geo: GeoDatabaseTally,
  alertEvents?: AlertEventTally,
): Promise<{ found: EvidenceHours; streamed: BundleEntry[] }> {
  const events = folder.stream(EVENTS_FILE);
  const quarantined = folder.stream(QUARANTINED_FILE);
  const entries: BundleEntry[] = [];
  const found = await readEvidenceHours(store, request, {
    events: (lines) => {
      // Parsed once for both tallies.
      const records = lines.map(ndjsonRecord);
      geo.addRecords(records);
      alertEvents?.addRecords(records);
      events.write(ndjsonText(lines));
    },
    quarantined: (lines) => quarantined.write(ndjsonText(lines)),
    manifest: (key, body) => {
      const file = { path: manifestPath(key), body };
      folder.write(file);
      // Its SHA-256 and size only: a year's manifests are not held.
      entries.push(...bundleEntries([file]));
    },
  });
  return { found, streamed: [events.close(), quarantined.close(), ...entries] };
}

/** Reads back what query wrote, so that the manifest lists the bytes on disk. */
const writtenFiles = (folder: BundleFolder, names: readonly string[]): BundleFile[] =>
  names.map((path) => ({ path, body: new Uint8Array(readFileSync(folder.pathOf(path))) }));

/**
 * The alert's part of its bundle: the file of its archived record, the tally of its events among
 * the lines written, and what the manifest states of it once they are (none without an alert).
 */
function alertPartOf(alert: ArchivedAlert | undefined): {
  files: BundleFile[];
  events?: AlertEventTally;
  stated: () => BundleAlert | undefined;
} {
  if (alert === undefined) return { files: [], stated: () => undefined };
  const events = new AlertEventTally(alert.event_ids);
  return { files: [alertFile(alert)], events, stated: () => bundleAlert(alert, events.result()) };
}

/**
 * Writes the bundle of `--user` (or of everyone) over `--from`/`--to` into `--out`; returns what it
 * wrote. The lake is read through the same readers as verify and query, and only read.
 */
export async function evidenceCommand(argv: readonly string[], io: CommandIo): Promise<EvidenceResult> {
  const { values } = parseOptions(argv, spec);
  const asked = checkedOptions(values);
  const lakeOption = parseLakeOption(values.lake);
  if (lakeOption.spec.kind !== 'fs') {
    throw new UsageError(
      `--lake ${values.lake}: evidence reads a lake on disk (its queries run on DuckDB); copy the period's days of the deployed lake first, then give the copy (docs/operations.md, "One command: evidence")`,
    );
  }
  assertOutOutsideLake(asked.out, values.lake, { command: 'evidence', files: 'its bundle' });
  assertNewBundleFolder(asked.out);
  const { store, instance } = await openLakeTarget(lakeOption, values.instance, { access: 'read' });
  const { options, alert } = await caseOfOptions(asked, store, instance, io);
  const request = requestOf(instance, options);
  const nowMs = clockOf(io).now();
  const common = [
    '--lake',
    values.lake,
    '--instance',
    instance,
    '--from',
    isoTime(options.fromMs),
    '--to',
    isoTime(options.toMs),
  ];
  const folder = new BundleFolder(options.out);
  const place = lakePlaceOf(values.lake);
  const geo = new GeoDatabaseTally();
  const alertPart = alertPartOf(alert);
  try {
    const { found, streamed } = await hoursInto(folder, store, request, geo, alertPart.events);
    const files: BundleFile[] = [hoursFile(found, request), ...alertPart.files];
    for (const file of files) folder.write(file);
    const inBundle = alertPart.stated();
    const checked = await lakeCheck(
      [
        ...common,
        '--integrity',
        ...(values['public-key'] === undefined ? [] : ['--public-key', values['public-key']]),
        ...(values['expect-head'] ?? []).flatMap((head) => ['--expect-head', head]),
      ],
      { integrity: true, ...(values['expect-head'] ? { 'expect-head': values['expect-head'] } : {}) },
      place,
      io,
    );
    for (const file of checked.files) folder.write(file);
    files.push(...checked.files);
    const asked = caseQueries(options);
    const queries = await runQueries(asked, common, options, folder, place, io);
    files.push(
      ...writtenFiles(
        folder,
        queries.flatMap(({ file }) => [file, file.replace(/\.json$/, '.provenance.json'), sqlFileOf(file)]),
      ),
    );
    const compared =
      asked[0] === undefined ? undefined : await linesCompared(folder, asked[0].name, options.address);
    const agreement = compared?.agreement;
    const maker = {
      createdAt: isoTime(nowMs),
      tool: versionLine(),
      lake: place.label,
      domoCustomer: await readBoundCustomer(store, instance),
      node: process.version,
      unicode: process.versions.unicode,
      duckdb: queries.length === 0 ? undefined : await duckDbVersion(),
      geoDatabases: geo.databases(),
    };
    const readme = {
      path: 'README.txt',
      body: new TextEncoder().encode(
        evidenceReadme({
          ...maker,
          instance,
          from: isoTime(options.fromMs),
          to: isoTime(options.toMs),
          userId: options.userId,
          address: options.address,
          userName: options.userName,
          note: options.note,
          counts: countsOf(found),
          check: checked.check,
          queries,
          compared,
          alert: inBundle,
        }),
      ),
    };
    const check = { path: CHECK_FILE, body: new TextEncoder().encode(CHECK_SCRIPT) };
    for (const file of [readme, check]) folder.write(file);
    files.push(readme, check);
    const manifest = manifestFile(bundleEntries(files, streamed), request, found, maker, inBundle);
    folder.write(manifest);
    files.push(manifest);
    const sums = sumsFile(bundleEntries(files, streamed));
    folder.write(sums);
    folder.finish();
    const counts = countsOf(found);
    const result = {
      folder: folder.path,
      sumsSha256: sha256Hex(sums.body),
      files: files.length + streamed.length + 1,
      events: counts.events,
      checkResult: checked.check.result,
      agrees: agreement === undefined || agrees(agreement),
      ...(compared === undefined ? {} : { compared: compared.query }),
    };
    io.stdout.write(summaryText(result, request, counts, checked.check, inBundle));
    if (compared !== undefined && !result.agrees)
      io.stdout.write(`  ${disagreementText(compared.agreement, compared.query)}\n`);
    return result;
  } catch (error) {
    folder.discard();
    throw error;
  }
}

/** What the command prints once the bundle is written. */
function summaryText(
  result: EvidenceResult,
  request: EvidenceRequest,
  counts: ReturnType<typeof countsOf>,
  check: EvidenceReadmeFacts['check'],
  alert?: BundleAlert,
): string {
  const who =
    request.userId !== undefined
      ? `user ${request.userId}`
      : request.userName !== undefined
        ? `the events under ${nameText(request.userName)} (by name, not by user)`
        : request.address === undefined
          ? 'every event'
          : `the events from ${addressText(request.address)} (by address, not by user)`;
  const events =
    request.userId !== undefined && counts.events === 0
      ? `no event of the period names user ${request.userId} (as its user, its actor or the user it was done to); the bundle says so`
      : `${counts.events} event(s) in ${counts.hours_with_events} of ${counts.hours} hour(s)`;
  return [
    `evidence bundle written to ${result.folder} (${result.files} files)`,
    `  ${who}, instance ${request.instance}, ${isoTime(request.fromMs)} .. ${isoTime(request.toMs)} (UTC, end excluded)`,
    ...alertSummaryLines(alert, request),
    `  events: ${events}; quarantined entries kept: ${counts.quarantined}`,
    `  hours with a coverage manifest: ${counts.hours_with_manifest} of ${counts.hours}`,
    `  lake check (verify --integrity): ${check.result}${check.head === undefined ? '' : `; head ${check.head}`}`,
    `  to check the files: cd ${result.folder} && sha256sum -c SHA256SUMS`,
    `  sha256 of SHA256SUMS: ${result.sumsSha256}; record it with the date where the receiver can`,
    '  read it and you cannot edit it (a ticket, a mail to them): it is what proves the bundle theirs',
    '',
  ].join('\n');
}

/** The alert the bundle is of, and which of its events it holds. */
function alertSummaryLines(alert: BundleAlert | undefined, { address, userName }: EvidenceRequest): string[] {
  if (alert === undefined) return [];
  const missing = alert.event_ids_not_in_bundle;
  const instead =
    address === undefined && userName === undefined
      ? 'outside the period: make a bundle by --user, --from and --to that holds them'
      : `outside the period, or ${notOfCase(address, userName)}: a bundle of every event of their hours, by --from and --to without --user, holds them`;
  return [
    `  alert ${alert.id} (${alert.kind} at ${alert.event_time} UTC), its record as archived: ${alert.file}`,
    `  its events: ${alert.event_ids_in_bundle} of ${alert.event_ids} in the bundle${missing.length === 0 ? '' : `; not: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''} (${instead})`}`,
  ];
}

/** The command's exit status: 0 when the lake's check of the period was OK, else 1. */
export async function evidenceRun(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseOptions(argv, spec);
  if (values['check-script'] !== undefined) {
    // --lake has a default, so it is always among the values: not a sign it was given.
    const others = Object.keys(values).filter((name) => name !== 'check-script' && name !== 'lake');
    writeCheckScript(values['check-script'], others, io);
    return 0;
  }
  const result = await evidenceCommand(argv, io);
  if (!result.agrees) {
    io.stderr.write(
      `error: the bundle's events are not the rows of ${result.compared ?? 'user_activity'} (README.txt says how many differ): the bundle is written; find why before handing it over\n`,
    );
    return 1;
  }
  if (result.checkResult === 'OK') return 0;
  io.stderr.write(
    `error: the lake's check of the period found problems (${result.checkResult}): the bundle is written with the check's report (verify.txt); read it before handing the bundle over\n`,
  );
  return 1;
}
