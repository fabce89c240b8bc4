/**
 * A deployed message's queries name the stack's Glue database and workgroup: pasted into an Athena
 * console whose chosen database is another (`default` at first), `FROM activity_log` fails.
 */
import { describe, expect, it } from 'vitest';
import { inAthena } from '../../../functions/core/alerts/dig-further.ts';
import { renderAlertMessage } from '../../../functions/core/alerts/render-alerts.ts';
import { archivedAlerts } from '../../../functions/core/alerts/unlisted-alerts.ts';
import { textWords } from '../../support/text-part.ts';
import { trino } from '../../support/trino-grammar.ts';
import { alertAt, INSTANCE, NOW } from './support/delivery-fixtures.ts';

const catalog = { database: 'lake_db', workGroup: 'lake-wg' };
const options = { instance: INSTANCE, timeZone: 'UTC', nowMs: NOW, mailOlderThanHours: 24 };
const alerts = [alertAt('old', NOW - 3 * 86_400_000), alertAt('new', NOW - 60_000)];

describe("a message's queries with the stack's Athena catalog", () => {
  it('name the tables in its database and the workgroup in the sentence, and parse as Trino', () => {
    const message = renderAlertMessage(alerts, {
      ...options,
      digFurther: inAthena(catalog),
      unlisted: archivedAlerts(catalog),
    });
    const archived =
      /Query them in Athena \(workgroup lake-wg\):\n(SELECT \* FROM "lake_db"\."alerts" .*)$/m.exec(
        message.text,
      )?.[1];
    expect(archived).toBeDefined();
    expect(trino.validate(archived ?? '')).toEqual([]);
    const intro = 'workgroup lake-wg):\n\n';
    const dig = message.text.slice(message.text.indexOf(intro) + intro.length).trim();
    expect(dig).toMatch(/^SELECT [\s\S]*\nFROM "lake_db"\."activity_log"\nWHERE /);
    expect(trino.validate(dig)).toEqual([]);
    expect(message.html).toContain('FROM &quot;lake_db&quot;.&quot;activity_log&quot;');
  });

  it('without it, the tables stay unqualified and the sentence asks for the database', () => {
    const message = renderAlertMessage(alerts, options);
    expect(message.text).toContain('\nFROM activity_log\n');
    expect(textWords(message.text)).toContain('with its Glue database chosen):');
    expect(message.text).toContain(
      "Query them in Athena (this stack's workgroup and Glue database):\nSELECT * FROM alerts WHERE",
    );
  });
});
