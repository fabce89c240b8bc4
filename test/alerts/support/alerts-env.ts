import { alertsEnvironment } from '../../../functions/alerts/config.ts';
import { DEFAULT_ALERT_SETTINGS } from '../../../functions/core/queries/alert-settings.ts';

/** The alerts function's environment as the stack sets it for instance `acme`, default settings. */
export const acmeAlertsEnv = (): Record<string, string | undefined> =>
  alertsEnvironment({
    stack: 'DomoActivityLake',
    instance: 'acme',
    bucket: 'lake-bucket',
    prefix: '',
    topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
    sender: 'alerts@example.com',
    recipients: ['sec@example.com'],
    settings: DEFAULT_ALERT_SETTINGS,
    database: 'domo_activity_lake',
    workGroup: 'domo-activity-lake',
  });
