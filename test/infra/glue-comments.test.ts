import { describe, expect, it } from 'vitest';
import type { LakeTable } from '../../functions/core/lake/layout.ts';
import { lakeTableInput } from '../../infra/catalog/lake-table-input.ts';
import { sharedSynth } from './synth-helpers.ts';

const options = { lakeRootUri: 's3://lake-bucket/', instances: ['acme'], startDate: '2025-01-01' };
const TABLES: LakeTable[] = ['activity_log', 'coverage', 'quarantine'];

/** Glue refuses a column comment over 255 characters, at deploy. */
const COMMENT_MAX = 255;

/** What a console user reads beside each column of a table, by name. */
const comments = (table: LakeTable): Record<string, string> => {
  // Plain values here, never CloudFormation tokens: the cast only drops IResolvable from the types.
  const input = lakeTableInput(table, options) as {
    partitionKeys: { name: string; comment?: string }[];
    storageDescriptor: { columns: { name: string; comment?: string }[] };
  };
  const columns = [...input.partitionKeys, ...input.storageDescriptor.columns];
  return Object.fromEntries(columns.map((c) => [c.name, c.comment ?? '']));
};

describe('the Glue comments a console user reads', () => {
  it('say user_id is whom an event was done as, and actor_id who acted for them (review R-ANALYST3 L1)', () => {
    const activity = comments('activity_log');
    expect(activity.user_id).toMatch(
      /the user the event was done as: who did it, unless actor_id names someone/,
    );
    // Both sides of an admin's act as X: every event of X, and only what X did (review HUNT L1).
    expect(activity.user_id).toContain("X's events, by or as X: user_id = X OR actor_id = X");
    // Done by X: data_movement's doer, in actor_id's comment (test/queries/doer-comment.test.ts).
    expect(activity.user_id).toContain('done by X: see actor_id');
    expect(activity.actor_id).toMatch(
      /Done by X: CASE WHEN translate\(actor_id, .* THEN actor_id ELSE user_id END = X$/,
    );
    expect(activity.user_id).not.toContain('what X did: user_id = X OR actor_id = X');
    expect(activity.actor_id).toMatch(/the user who acted as user_id, on their behalf .*"0" when nobody did/);
    expect(Object.values(activity).join(' ')).not.toMatch(/acting user|proxying/);
  });

  it('tell a console user to bound every query on dt (review R-ANALYST3 L2)', () => {
    for (const table of TABLES) {
      expect(comments(table).dt, table).toMatch(
        /bound it in every query .*Athena then reads only those days/,
      );
      expect(lakeTableInput(table, options).description, table).toMatch(
        /\. Filter on instance and dt \(the UTC date\) in every query: Athena then reads only those days' partitions$/,
      );
    }
  });

  it('give a hunter writing their own SQL what its first query trips on (review HUNT M2)', () => {
    const activity = comments('activity_log');
    // A text bound on a timestamp fails on Athena; a UTC column read as local is hours off.
    expect(activity.event_time).toContain("bound it with TIMESTAMP '2026-11-27 00:00:00'");
    expect(activity.event_time).toContain("at_timezone(with_timezone(event_time, 'UTC'), 'Europe/Paris')");
    // A field no column reads is in raw only.
    expect(activity.raw).toContain("json_extract_scalar(raw, '$.authenticationMethod')");
    // An equality on ip_address misses the forwarded-for lists; the country can be forged.
    expect(activity.ip_address).toMatch(/forwarded-for list, client first .*ip_address = 'a' misses lists/);
    expect(activity.ip_country).toMatch(/client entry .*which the client can forge/);
    // Exports and sign-ins by their Domo values, in any case; dashboards are pages.
    expect(activity.action_type).toMatch(/EXPORTED.*LOGGED_IN.*upper\(action_type\) = 'EXPORTED'/);
    expect(activity.object_type).toContain('PAGE (a dashboard)');
    // Twins are rows of their own: how to count each entry once.
    expect(activity.event_id).toContain("count(DISTINCT split_part(event_id, '-', 1))");
  });

  // A hunter's "what else did X do", "who", "from abroad" and "when stored" (review HUNTER 2).
  it("say what a hunter's own count would miss or miscount", () => {
    const activity = comments('activity_log');
    // Entries the ingest could not read are in no activity_log row.
    expect(lakeTableInput('activity_log', options).description).toContain(
      'entries the ingest could not read are in the quarantine table, not here',
    );
    // GROUP BY user_id makes a user of Domo's "none".
    expect(activity.user_id).toMatch(/Empty, white space or 0: nobody$/);
    // ip_country <> 'US' drops the events no geo data placed, the unplaced ones a hunt wants.
    expect(activity.ip_country).toMatch(
      /null when .*: ip_country IS DISTINCT FROM 'US' keeps those, <> drops them$/,
    );
    // A text without its zone is read as local by a spreadsheet; and it is the run's start, not the write.
    expect(activity.ingested_at).toMatch(/^UTC, ISO 8601 text .*: start of the ingest run that first stored/);
  });

  it('say a mistyped instance answers no rows rather than an error (review HUNT L4)', () => {
    for (const table of TABLES) {
      expect(comments(table).instance, table).toMatch(/a name not deployed answers no rows, not an error$/);
    }
  });

  it('are each within the 255 characters Glue takes', () => {
    for (const table of TABLES) {
      for (const [name, comment] of Object.entries(comments(table))) {
        expect(comment.length, `${table}.${name}`).toBeLessThanOrEqual(COMMENT_MAX);
      }
    }
  });
});

/** The `alerts` table (the archive of raised alerts) as the stack defines it: its description and comments. */
function alertsTable(): { description: string; comments: Record<string, string> } {
  const { template } = sharedSynth({ alerts: { enabled: true, allowNoSubscriber: true } });
  const [table] = Object.values(
    template.findResources('AWS::Glue::Table', { Properties: { TableInput: { Name: 'alerts' } } }),
  );
  const input = table?.Properties.TableInput as {
    Description: string;
    PartitionKeys: { Name: string; Comment?: string }[];
    StorageDescriptor: { Columns: { Name: string; Comment?: string }[] };
  };
  const columns = [...input.PartitionKeys, ...input.StorageDescriptor.Columns];
  return {
    description: input.Description,
    comments: Object.fromEntries(columns.map((c) => [c.Name, c.Comment ?? ''])),
  };
}

describe("the alerts table's comments", () => {
  it('say which times are UTC and which local, and how to read one in the other', () => {
    const { description, comments } = alertsTable();
    // An alert is filed under its key event's UTC day, not the window's, whenever it was found.
    expect(comments.dt).toMatch(
      /^UTC date of event_time \(an alert found days later is filed under its event's day\)/,
    );
    expect(comments.dt).toMatch(/bound it in every query .*Athena then reads only those days/);
    expect(comments.event_time).toMatch(/^time of the key event .* in UTC, stored without a zone/);
    expect(comments.event_time).toContain("at_timezone(with_timezone(event_time, 'UTC'), 'Europe/Paris')");
    expect(comments.event_time_ms).toContain('(UTC)');
    expect(comments.detected_at).toMatch(
      /^when the alert was first found, UTC, as ISO 8601 text \(2026-11-27T14:20:05\.123Z\)/,
    );
    expect(comments.detected_at).toContain(
      "at_timezone(from_iso8601_timestamp(detected_at), 'Europe/Paris')",
    );
    // The evidence is the one on the alerts' clock, each time with its offset and zone; one kind's in UTC.
    expect(comments.evidence).toContain(
      'Its times are local: on the clock of report.timeZone at the run that found it',
    );
    expect(comments.evidence).toContain('14:02 to 14:06 -05:00 America/New_York; 14:02 UTC in UTC');
    expect(comments.evidence).toMatch(/activity_after_deactivation's are UTC$/);
    expect(description).toContain(
      "event_time, event_time_ms, detected_at and dt are UTC; the evidence's times are local (report.timeZone, named in each)",
    );
  });

  it('are each within the 255 characters Glue takes', () => {
    for (const [name, comment] of Object.entries(alertsTable().comments)) {
      expect(comment.length, `alerts.${name}`).toBeLessThanOrEqual(COMMENT_MAX);
    }
  });
});
