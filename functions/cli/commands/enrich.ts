import type { S3Client } from '@aws-sdk/client-s3';
import { containerGeo } from '../../adapters/geo-file-lookup.ts';
import { DEFAULT_LAKE } from '../../adapters/lake-location.ts';
import { compileCategoryRules } from '../../core/domo/category-rules.ts';
import { type EnrichSummary, enrichLake } from '../../core/geo/enrich-lake.ts';
import { floorHour, HOUR_MS } from '../../core/time-units.ts';
import { chainSigner } from '../chain-signer.ts';
import { quitsAtOnce } from '../command-interrupted.ts';
import { type CommandIo, clockOf } from '../command-io.ts';
import { commandLineRunner } from '../command-line-runner.ts';
import { checkConditionalWrites } from '../conditional-writes-check.ts';
import { fitProse } from '../fit-prose.ts';
import { geoLoadFix } from '../geo-load-fix.ts';
import { watchIngestsBeside } from '../ingest-beside.ts';
import { type InterruptName, interruptible, processInterrupts } from '../interrupts.ts';
import { openLakeTarget, parseLakeOption } from '../lake-target.ts';
import { lockNoticeTo } from '../lock-notice.ts';
import { type OptionSpec, parseHourRange, parseOptions, readCategoryRulesFile } from '../options.ts';
import { terminalProgress } from '../progress.ts';
import { UsageError } from '../usage-error.ts';
import {
  assertLakeWritable,
  checkedBeforeFirstWrite,
  type DirectoryWriteAccess,
  lakeWriteFailure,
} from '../writable-lake.ts';

export const enrichHelp = `Usage: domo-activity-lake enrich --from <time> --to <time> [options]

Fills the geo columns (ip_country, ip_asn, ip_org, geo_db_version) of events
already in the lake with the geo database this version ships: for hours written
before enrichment existed, after the database was updated, or after this
version changed how an address is read (geo_db_version names those rules,
+rules@N: records placed by older rules are placed again). Each hour is
rewritten in place with a conditional write (event ids, count and order
unchanged); its coverage manifest records the database version and when. Hours
already enriched with this database version and rules are left alone unless
--force is given or a record holds half an emoji (a lone surrogate, which
DuckDB refuses the whole hour for; stored by versions before the ingest
replaced it with U+FFFD, as enrich then does); an hour whose records would not
change is never rewritten, so a run that changes nothing writes nothing (and
passes on a lake it may only read, such as a read-only mount; a lake it cannot
write is refused before the first rewrite).
Without --force, a record placed by a newer database or newer rules (a stale
checkout) is left as it is, and so is a record placed in a country that this
database places nowhere (a damaged database, more likely than a right one). The
last line counts both, and says what became of each hour: rewritten, already up
to date, without events (pulled, none happened), or outside the lake (never
pulled); with --force, how many addresses it looked up again and how many
records changed.

With --category-rules it also sets the category column of every event again by
that rules file (the same file and meaning as ingest's --category-rules: your
rules first, then the built-in ones; a file holding [] gives the built-in rules
alone). A re-pull cannot do this: a stored record wins the merge. Without it,
categories are left as stored.

An ingest writing the same lake on disk meanwhile is named at the end: the
hours it had not saved when enrich came to them keep what that ingest gave
them; run the same enrich again once it has ended.

Ctrl-C (or SIGTERM, or SIGHUP: the terminal closed) stops it after the hour in
hand: the hours done are kept, the digest chain is sealed over them (verify
--integrity passes), the last line names the --from to run again with, and it
exits 130 (143, 129).

Options:
  --from <time> --to <time>  whole UTC hours, e.g. 2026-10-01T00:00:00Z
                             (required)
  --instance <name>       instance (default: the lake's only instance)
  --lake <dir|s3://b/p>   where the lake is (default: ${DEFAULT_LAKE})
  --force                 look every address up again, even in records already
                          enriched with this database and rules, and store
                          this database's answer over a newer one's or over
                          a lost place
  --category-rules <file>
                          set the category of every event again by these rules
                          (docs/ingest.md#categories)
  --unsafe-skip-conditional-write-check
                          go on with an s3:// store that ignores
                          If-None-Match/If-Match (s3rver); an ingest beside
                          it could then lose events
`;

const spec = {
  instance: { type: 'string' },
  lake: { type: 'string', default: DEFAULT_LAKE },
  from: { type: 'string' },
  to: { type: 'string' },
  force: { type: 'boolean', default: false },
  'category-rules': { type: 'string' },
  'unsafe-skip-conditional-write-check': { type: 'boolean', default: false },
} as const;

/** The command's options, for the entry's check of the ones npm took (npm-taken-options.ts). */
export const enrichOptions: OptionSpec = spec;

/** What an enrich did, and the signal that stopped it between hours, if one did. */
interface EnrichCommandResult {
  summary: EnrichSummary;
  interrupted: InterruptName | null;
}

/** What tests inject: the S3 client of an s3:// lake (default: one from the environment). */
interface EnrichDeps {
  s3Client?: S3Client;
  /** For a directory lake (tests run as root, whom no permission stops); default: `access(2)`. */
  directoryWriteAccess?: (dir: string) => Promise<DirectoryWriteAccess>;
}

export async function enrichCommand(
  argv: readonly string[],
  io: CommandIo,
  deps: EnrichDeps = {},
): Promise<EnrichCommandResult> {
  const { values } = parseOptions(argv, spec);
  // Both or neither is parseHourRange's rule; enrich needs both, and says so when one is missing.
  const range =
    values.from === undefined || values.to === undefined ? undefined : parseHourRange(values.from, values.to);
  if (!range) throw new UsageError('enrich needs --from and --to (whole UTC hours)');
  refuseUnendedFrom(range.fromMs, clockOf(io).now());
  const rulesFile = values['category-rules'];
  // Read before the lake is opened, so a bad file is a usage error that changed nothing.
  const categorize = rulesFile ? compileCategoryRules(readCategoryRulesFile(rulesFile)) : undefined;
  const target = await openLakeTarget(parseLakeOption(values.lake), values.instance, {
    access: 'read',
    onLockNotice: lockNoticeTo(io.stderr),
    ...(deps.s3Client ? { s3Client: deps.s3Client } : {}),
  });
  const { instance } = target;
  // Refused before its first write, as ingest's lake is before its first request: met at the
  // write, the failure named a hidden temporary file and no fix. Not up front: a run with nothing
  // to rewrite writes nothing, so it passes on a lake it may only read (a read-only mount).
  const lakeDir = target.spec.kind === 'fs' ? target.spec.dir : undefined;
  const ingestsBeside = await watchIngestsBeside(lakeDir, instance);
  const store =
    lakeDir === undefined
      ? target.store
      : checkedBeforeFirstWrite(target.store, () =>
          assertLakeWritable(lakeDir, instance, deps.directoryWriteAccess),
        );
  await checkConditionalWrites(target, instance, values['unsafe-skip-conditional-write-check']);
  const fix = geoLoadFix(io.env.GEO_DB_PATH);
  const { geo, geoUnavailable } = containerGeo(io.log, io.env, fix);
  if (!geo) {
    throw new Error(
      `the geo database could not be loaded (${geoUnavailable ?? 'no reason was given'}), so nothing was changed; ${fix}, then run enrich again`,
    );
  }
  const progress = terminalProgress(`enrich ${instance}`, io.stderr);
  const digestSigner = await chainSigner(store, instance, io.digestSigner, io.stderr);
  // Ctrl-C stops between hours, so the digest chain is sealed over those rewritten: killed in the
  // middle, the chain is left open and verify --integrity fails until an enrich finishes.
  const interruption = interruptible(
    io.interrupts ?? processInterrupts,
    (name) => {
      progress.done();
      io.stderr.write(
        `${name}: stopping after the hour in hand; the hours done are kept (${quitsAtOnce(name)})\n`,
      );
    },
    () =>
      io.stderr.write(
        'quitting now: verify --integrity fails until an enrich finishes; run the same enrich again\n',
      ),
  );
  const summary = await enrichLake(
    { store, geo, ...(digestSigner ? { digestSigner } : {}), runner: commandLineRunner('enrich') },
    {
      instance,
      ...range,
      force: values.force,
      ...(categorize ? { categorize } : {}),
      nowIso: new Date().toISOString(),
      // Hours are enriched one after the other: those done are the first ones of the range.
      onHour: (done, total) =>
        progress.update({
          windowsDone: done,
          windowsPlanned: total,
          storedBeforeMs: range.fromMs + done * HOUR_MS,
        }),
      interrupt: interruption.signal,
    },
  )
    .catch((error: unknown) => {
      // A full disk, or one made read-only since: said with the lake and the fix. The hours done
      // are kept, and a run again skips them as up to date.
      throw lakeDir === undefined ? error : lakeWriteFailure(lakeDir, error, 'run the same enrich again');
    })
    .finally(() => {
      interruption.dispose();
      progress.done();
    });
  // Wrapped between words on a terminal, as every command's sentences are; whole when piped.
  const say = (line: string) => io.stdout.write(`${fitProse(line, io.stdout)}\n`);
  say(`enrich ${instance} at ${store.location}: ${describeHours(summary, values.force)}`);
  if (summary.stoppedBeforeMs !== undefined) {
    const from = new Date(summary.stoppedBeforeMs).toISOString().replace('.000Z', 'Z');
    say(
      `interrupted: the hours from ${from} on are left as they were; run enrich again with --from ${from} to finish them`,
    );
  }
  for (const note of await ingestsBeside.notes()) say(note);
  return { summary, interrupted: interruption.received };
}

/**
 * Where each hour of the range went; the parts add up to the hours asked. Hours outside the lake
 * (never pulled) are named only when the range has some, so a range inside the lake reads short.
 * With --force, also what forcing did: how many addresses were looked up again, and how many of
 * those records changed (an hour whose answers are all the same is not rewritten: up to date).
 */
function describeHours(summary: EnrichSummary, force: boolean | undefined): string {
  const parts = [
    `${summary.hoursRewritten} rewritten (${summary.recordsEnriched} record(s) enriched)`,
    `${summary.hoursUpToDate} already up to date`,
    // Named only when some were: their records are counted at the end of the line.
    ...(summary.hoursKept > 0 ? [`${summary.hoursKept} with records left as they were`] : []),
    `${summary.hoursWithoutEvents} without events`,
    ...(summary.hoursOutsideLake > 0 ? [`${summary.hoursOutsideLake} outside the lake`] : []),
  ];
  const changed =
    summary.recordsEnriched === 0 ? 'none changed' : `${count(summary.recordsEnriched)} changed`;
  const forced = force
    ? `; --force looked up the addresses of ${count(summary.recordsLookedUp)} record(s) again: ${changed}`
    : '';
  const recategorised =
    summary.recordsRecategorised === undefined
      ? ''
      : `; --category-rules changed the category of ${count(summary.recordsRecategorised)} record(s)`;
  // Named only when some were: lone surrogates are rare, and the line is long enough.
  const repaired =
    summary.recordsRepaired === 0
      ? ''
      : `; ${count(summary.recordsRepaired)} record(s) held half an emoji (a lone surrogate), now U+FFFD`;
  return `of ${summary.hours} hour(s), ${parts.join(', ')}${forced}${recategorised}${repaired}${kept(summary)}; geo database ${summary.geoDbVersion}`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Records left as they were although not this database's answer: named only when some were. */
function kept(summary: EnrichSummary): string {
  const placed =
    summary.recordsKeptPlaced === 0
      ? ''
      : `; ${count(summary.recordsKeptPlaced)} record(s) placed before kept their country: this database places them nowhere (is it damaged? if not, --force stores its answer; until then each enrich of these hours says so again)`;
  const newer =
    summary.recordsLeftNewer === 0
      ? ''
      : `; ${count(summary.recordsLeftNewer)} record(s) placed by a geo database with newer data (in at least one of its sources) left as they were (--force places them with this one)`;
  return `${placed}${newer}`;
}

/**
 * Refuses a --from whose hour has not ended, as verify refuses one: the ingest writes an hour only
 * once it has ended, so no hour of the range can be in the lake, and an enrich that counted them
 * "outside the lake" and passed hid a mistyped year.
 */
function refuseUnendedFrom(fromMs: number, nowMs: number): void {
  const endedMs = floorHour(nowMs);
  if (fromMs < endedMs) return;
  const iso = (ms: number) => new Date(ms).toISOString();
  // An hour that starts after now is not one that is still running.
  const state = fromMs > nowMs ? 'has not begun' : 'has not ended yet';
  throw new UsageError(
    `--from ${iso(fromMs)} ${state}: the newest hour that can be in the lake ends at ${iso(endedMs)} (an hour is ingested once it has ended), so no hour of the range can be in the lake: give a --from before ${iso(endedMs)}`,
  );
}
