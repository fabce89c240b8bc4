import path from 'node:path';
import { Annotations, ArnFormat, Duration, Lazy, type RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type LakeTable, reportsPrefix, tableInstancePrefix } from '../../functions/core/lake/layout.ts';
import type { AlertJudging } from '../../functions/core/report/build-report-model.ts';
import { QUERIES_DIR, queryNames } from '../../functions/queries/catalog.ts';
import { type InstanceMail, reportEnvironment } from '../../functions/report/config.ts';
import type { EnabledReportConfig } from '../config.ts';
import { acknowledgeWildcardResources } from '../nag/acknowledge.ts';
import { reportRecipientsOfAll } from '../report/report-recipients.ts';
import { planSesIdentities, type SesIdentityPlan } from '../report/ses-identities.ts';
import { sesSendStatementOn } from '../report/ses-send-statement.ts';
import { failureQueueDestination } from './failure-queue-destination.ts';
import { environmentSizeProblems } from './function-environment-size.ts';
import { InlinePolicyRole } from './inline-policy-role.ts';
import { LakeFunction } from './lake-function.ts';
import type { MailDeliveryEvents } from './mail-delivery-events.ts';
import { ScheduledInvoke } from './scheduled-invoke.ts';
import { schedulerPrincipal } from './scheduler-principal.ts';
import { identityGroups } from './shared-send-policies.ts';

export const REPORT_ENTRY = path.join(import.meta.dirname, '../../functions/report/handler.ts');

/**
 * Every `.sql` file of the query catalog (the catalog's own directory by default), as absolute
 * paths: they ship beside the bundled handler, where the catalog looks at run time.
 */
export const queryFiles = (dir: string = QUERIES_DIR): string[] =>
  queryNames(dir).map((name) => path.join(dir, `${name}.sql`));

/**
 * Retries are off everywhere. The sent-marker makes a second run for the same week harmless (it
 * skips, or resends only a mail SES refused), but a report fails for reasons a retry minutes later
 * does not fix (an unverified identity, the sandbox, an Athena error) and would only repeat every
 * query. A failed run alarms instead; the operator fixes the cause and invokes it again.
 */
export const REPORT_RETRIES = {
  /** Scheduler re-sending an invocation Lambda did not accept: none, the miss goes to the failure queue. */
  schedulerAttempts: 0,
  /** Lambda re-running a run that threw: none. */
  asyncAttempts: 0,
  /**
   * How long an instance's invocation may wait its turn: the scheduled run starts every
   * instance's at once and they run one at a time (REPORT_CONCURRENCY), so the last waits for all
   * the others, and Lambda keeps a throttled asynchronous event queued this long (6 hours, its
   * maximum) before it goes to the failure queue. Each event names its week, so one started late
   * still reports the week the schedule meant.
   */
  asyncMaxEventAge: Duration.hours(6),
} as const;

/**
 * One report runs at a time. The scheduled run starts every instance's invocation at once; Lambda
 * queues those it cannot start yet (throttled asynchronous events are not dropped, they are
 * tried again until REPORT_RETRIES.asyncMaxEventAge), so the instances run one after another, as
 * when one invocation ran them all, and Athena gets at most one report's queries (4 at a time)
 * rather than every instance's at once, which could exceed the account's active-query quota and
 * fail reports with TooManyRequestsException.
 */
export const REPORT_CONCURRENCY = 1;

export const REPORT_MEMORY_MB = 512;

/** The default time of one invocation, which reports one instance: {@link reportTimeout}. */
export const REPORT_TIMEOUT_MINUTES = 5;

/**
 * Time for one invocation, which the schedule's run starts per instance: its Athena queries (4 at
 * a time, seconds each), claiming the week and one mail. Five minutes leave room for a slow Athena
 * queue, whatever the number of instances: each has its own invocation and so its own timeout.
 */
export const reportTimeout = (configuredMinutes?: number): Duration =>
  Duration.minutes(configuredMinutes ?? REPORT_TIMEOUT_MINUTES);

/**
 * Longest wait Lambda puts between two tries of a throttled asynchronous event (it grows from 1 s):
 * once a report ends, the next queued one may start up to this much later.
 */
export const THROTTLE_RETRY_MAX_MINUTES = 5;

/**
 * How long after the scheduled run the last instance's report can end, in minutes, if each ran to
 * its timeout: the instances' reports run one at a time, and Lambda may wait up to
 * THROTTLE_RETRY_MAX_MINUTES before it starts the next queued one.
 */
export const lastReportMinutes = (instances: number, timeoutMinutes: number): number =>
  instances * (timeoutMinutes + THROTTLE_RETRY_MAX_MINUTES);

/** The id of the synth warning that the last instances' reports could outwait their queue. */
export const REPORT_QUEUE_OUTLASTED = '@domo-activity-lake/reportQueueOutlasted';

/**
 * Why the instances' reports, one at a time, could keep the last waiting longer than Lambda keeps
 * a queued invocation (REPORT_RETRIES.asyncMaxEventAge), if each ran to its timeout; undefined
 * when even then the last starts in time.
 */
export function reportQueueProblem(instances: number, timeoutMinutes: number): string | undefined {
  const waitMinutes = lastReportMinutes(instances, timeoutMinutes);
  const keptMinutes = REPORT_RETRIES.asyncMaxEventAge.toMinutes();
  if (waitMinutes <= keptMinutes) return undefined;
  const fits = Math.floor(keptMinutes / instances) - THROTTLE_RETRY_MAX_MINUTES;
  return `report.timeoutMinutes ${timeoutMinutes} for ${instances} instances: their reports run one at a time, so if each ran to its timeout the last would wait up to ${waitMinutes} minutes (each report, then up to ${THROTTLE_RETRY_MAX_MINUTES} minutes until Lambda tries the next), more than the ${keptMinutes / 60} hours Lambda keeps a queued invocation: it would go to the failure queue unreported (FailedInvocations alarms). Reports normally take a few minutes each; to be sure, ${fits >= 2 ? `lower report.timeoutMinutes to ${fits} or less, or ` : ''}split the instances between stacks`;
}

/**
 * What the schedule sends: the handler starts one invocation per instance (`{"week":…,"instance":…}`,
 * the last full week), each with a timeout of its own, and reports none itself.
 */
export const SCHEDULED_EVENT = { eachInstance: true } as const;

/**
 * What the corrections schedule (report.correctionSchedule) sends: one invocation per instance,
 * each mailing only the corrections due of its weeks mailed with hours missing, never a week's
 * first report or a resend; each has the whole timeout, as a correction makes a report again.
 */
export const CORRECTIONS_EVENT = { eachInstance: true, correctionsOnly: true } as const;

/**
 * The lake tables the report's queries read (functions/queries/*.sql): the quarantine too, whose
 * entries uncounted_sign_ins reads for sign-ins the ingest could not store. Read only, and of the
 * reported instances only (their partitions, below).
 */
export const REPORT_TABLES: readonly LakeTable[] = ['activity_log', 'coverage', 'quarantine'];

/** The lake prefixes the report reads through Athena for one instance (its table partitions). */
export const reportReadPrefixes = (instance: string): string[] =>
  REPORT_TABLES.map((table) => tableInstancePrefix(table, instance));

/** The function's description: the reported instances by name, or their count when the names are long. */
export function reportDescription(instances: readonly string[]): string {
  const named = `Mails the weekly Domo activity report of ${instances.map((i) => `"${i}"`).join(', ')}`;
  return named.length <= 200
    ? named
    : `Mails the weekly Domo activity report of ${instances.length} instances`;
}

export interface WeeklyReportProps {
  report: EnabledReportConfig;
  /** Instances reported on, one mail each per run. */
  instances: readonly string[];
  /** The instances with recipients or a zone of their own (`instances[].report`), by name. */
  instanceMail?: Readonly<Record<string, InstanceMail>>;
  /** Whether the stack deploys the security alerts: the report then says why they can differ from it. */
  alertsEnabled: boolean;
  /** The alerts' sign-in judging, which the report's note on them states (default: the alerts' defaults). */
  alertJudging?: AlertJudging;
  /** The alerts' failuresBeforeLogin: the report lists the sign-ins after failed logins they raise (default 4). */
  failuresBeforeLogin?: number;
  /** alarms.lagHours: the week's last missing hours that ended longer ago are a gap of the report (default 3). */
  lagHours?: number;
  /** retention.maxDays: a week older than it is reported as aged out by policy (none: kept forever). */
  maxDays?: number | null;
  lakeBucket: s3.IBucket;
  resultsBucket: s3.IBucket;
  /** Key prefix Athena writes query results under in the results bucket (`athena/`). */
  resultsPrefix: string;
  databaseName: string;
  workGroupName: string;
  /** Receives schedules Scheduler could not deliver and runs that failed. */
  failureQueue: sqs.IQueue;
  /** The stack's own schedule group, which the ScheduledInvocationsLost alarm watches. */
  scheduleGroup: scheduler.IScheduleGroup;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
  /** The SES configuration set to send with, whose bounces and complaints reach the operator. */
  mailEvents?: MailDeliveryEvents;
}

/**
 * The weekly report: one function, started by a weekly schedule in the report's time zone (retries
 * off), whose run starts one invocation of the function per instance: each instance's report gets
 * a whole invocation and its timeout, one running at a time (the others wait in Lambda's queue).
 * Its role can run queries in the lake's workgroup only, read the Glue tables and the lake
 * partitions of the reported instances, write their reports, and send through the configured SES
 * identities only.
 */
export class WeeklyReport extends Construct {
  readonly lakeFunction: LakeFunction;
  readonly schedule: scheduler.Schedule;
  /** The corrections-only run's schedule; none with report.correctionSchedule null. */
  readonly correctionSchedule?: scheduler.Schedule;
  readonly ses: SesIdentityPlan;
  /** The identity this stack created, when `createSesIdentity` is set. */
  readonly createdIdentity?: ses.EmailIdentity;
  /** The topics each run checks, once {@link watchTopics} has them. */
  private watched?: { alarmTopic: sns.ITopic; alertsTopic: sns.ITopic | undefined };

  constructor(scope: Construct, id: string, props: WeeklyReportProps) {
    super(scope, id);
    const { report, instances } = props;
    const stack = Stack.of(this);
    const timeout = reportTimeout(report.timeoutMinutes);
    const queue = reportQueueProblem(instances.length, timeout.toMinutes());
    if (queue) Annotations.of(this).addWarningV2(REPORT_QUEUE_OUTLASTED, queue);

    this.lakeFunction = new LakeFunction(this, 'Report', {
      entry: REPORT_ENTRY,
      // Lambda descriptions hold 256 characters: name the instances only while they fit.
      description: reportDescription(instances),
      environment: reportEnvironment({
        stack: stack.stackName,
        instances: [...instances],
        bucket: props.lakeBucket.bucketName,
        prefix: '',
        workGroup: props.workGroupName,
        database: props.databaseName,
        timeZone: report.timeZone,
        sender: report.sender,
        recipients: report.recipients,
        instanceMail: { ...props.instanceMail },
        alertsEnabled: props.alertsEnabled,
        ...(props.alertJudging ? { alertJudging: props.alertJudging } : {}),
        ...(props.failuresBeforeLogin === undefined
          ? {}
          : { failuresBeforeLogin: props.failuresBeforeLogin }),
        ...(props.lagHours === undefined ? {} : { ingestLagHours: props.lagHours }),
        ...(typeof props.maxDays === 'number' ? { maxDays: props.maxDays } : {}),
        ...(props.mailEvents ? { configurationSet: props.mailEvents.configurationSetName } : {}),
        // Written here with every other variable, and filled in at synthesis from the topics
        // watchTopics is handed (they are made after this construct): one writer, whatever the
        // order of the calls. Empty (no check) until then.
        alarmTopicArn: Lazy.string({ produce: () => this.watched?.alarmTopic.topicArn ?? '' }),
        alertsTopicArn: Lazy.string({ produce: () => this.watched?.alertsTopic?.topicArn ?? '' }),
      }),
      bundledFiles: queryFiles(),
      timeout,
      memorySize: REPORT_MEMORY_MB,
      reservedConcurrentExecutions: REPORT_CONCURRENCY,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      retryAttempts: REPORT_RETRIES.asyncAttempts,
      maxEventAge: REPORT_RETRIES.asyncMaxEventAge,
      onFailure: failureQueueDestination(props.failureQueue),
    });
    // Each instance's own recipients ride in the environment too, which Lambda caps at 4 KB: a
    // subsidiary's long list of addresses would fail the deploy, so it fails the synth instead.
    this.lakeFunction.node.addValidation({
      validate: () =>
        environmentSizeProblems(
          this.lakeFunction.fn,
          'report function',
          'Shorten the report recipients (report.recipients and instances[].report.recipients): one distribution list address per instance instead of many people, or split the instances between stacks.',
        ),
    });
    const role = this.lakeFunction.role;

    // Athena: only the lake's workgroup (which enforces the results location and scan cutoff).
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'athena:StartQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:StopQueryExecution',
        ],
        resources: [
          stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: props.workGroupName }),
        ],
      }),
    );

    // Glue: Athena reads the table definitions as the caller. The tables use partition projection,
    // so GetPartitions finds nothing, but it stays: Athena's guide says it prunes partitions of
    // every partitioned table, projected ones included, and nowhere that it then skips the call;
    // a report refused it would fail in production only, where no test here reaches.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: props.databaseName }),
          ...REPORT_TABLES.map((table) =>
            stack.formatArn({
              service: 'glue',
              resource: 'table',
              resourceName: `${props.databaseName}/${table}`,
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          ),
        ],
      }),
    );

    // The lake: Athena reads the reported instances' partitions as the caller; the function itself
    // reads and writes their reports and sent-markers (conditional puts need only PutObject).
    // Statements per instance, not one naming every instance: CDK can spread a role's statements
    // over managed policies (IAM takes 6,144 characters each) but cannot split one statement, and
    // one naming 20 long instance names outgrows a managed policy by itself.
    const readPrefixes = instances.flatMap(reportReadPrefixes);
    const archivePrefixes = instances.map(reportsPrefix);
    for (const instance of instances) {
      const reads = reportReadPrefixes(instance);
      const archive = reportsPrefix(instance);
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: reads.map((prefix) => props.lakeBucket.arnForObjects(`${prefix}*`)),
        }),
      );
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [props.lakeBucket.arnForObjects(`${archive}*`)],
        }),
      );
      // Listing also makes S3 answer 404 (not 403) for a sent-marker that does not exist yet.
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [props.lakeBucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [...reads, archive].map((prefix) => `${prefix}*`) } },
        }),
      );
    }
    const readArns = readPrefixes.map((prefix) => props.lakeBucket.arnForObjects(`${prefix}*`));
    const archiveArns = archivePrefixes.map((prefix) => props.lakeBucket.arnForObjects(`${prefix}*`));

    // Athena results: Athena writes them as the caller, and GetQueryResults reads them back.
    const resultArns = [props.resultsBucket.arnForObjects(`${props.resultsPrefix}*`)];
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: resultArns,
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.resultsBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${props.resultsPrefix}*`] } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation'],
        resources: [props.lakeBucket.bucketArn, props.resultsBucket.bucketArn],
      }),
    );
    acknowledgeWildcardResources(
      role,
      [...readArns, ...archiveArns, ...resultArns],
      `Object keys under fixed prefixes, named by hour and week: the reported instances' partitions (${readPrefixes.join(', ')}; read only), their reports (${archivePrefixes.join(', ')}; read and write, no delete), and Athena's results (${props.resultsPrefix}, which Athena writes as the caller).`,
    );

    // SES: send as the configured identity only, and only from the configured address; sending
    // with a configuration set is also authorized against the set.
    // Every instance's recipients: in the SES sandbox each one's identity authorizes the send too.
    const recipients = reportRecipientsOfAll(report, props.instanceMail);
    this.ses = planSesIdentities({ ...report, recipients });
    if (this.ses.create) {
      const { kind, name } = this.ses.create;
      this.createdIdentity = new ses.EmailIdentity(this, 'SenderIdentity', {
        identity: kind === 'domain' ? ses.Identity.domain(name) : ses.Identity.email(name),
      });
      this.createdIdentity.applyRemovalPolicy(props.removalPolicy);
    }
    // A statement per group of identities, each within a managed policy's 6,144 characters: CDK
    // spreads the role's statements over overflow policies but never splits one, and one naming
    // 50 long addresses of as many domains passed that by itself.
    // Only to those recipients, each once: one repeated per instance would only fill the policy.
    const mailed = [...new Map(recipients.map((address) => [address.toLowerCase(), address])).values()];
    for (const identities of identityGroups(
      [...this.ses.sending, ...this.ses.recipients],
      report.sender,
      mailed,
    )) {
      role.addToPolicy(
        sesSendStatementOn(stack, identities, report.sender, mailed, props.mailEvents?.configurationSetArn),
      );
    }

    // Its grant inside the role: one resource less, as the ingest's scheduler role (the stack holds
    // at most 500, and 20 instances with every feature must fit).
    const schedulerRole = new InlinePolicyRole(this, 'SchedulerRole', {
      description: 'Lets EventBridge Scheduler start the weekly report',
      assumedBy: schedulerPrincipal(props.scheduleGroup),
    });
    // Both schedules: same function, role, group and failure queue, and no retry.
    const scheduleOf = (id: string, description: string, expression: string, event: object) => {
      const made = new scheduler.Schedule(this, id, {
        description: `${description} (${report.timeZone})`,
        scheduleGroup: props.scheduleGroup,
        schedule: scheduler.ScheduleExpression.expression(expression, TimeZone.of(report.timeZone)),
        target: new ScheduledInvoke(this.lakeFunction.fn, {
          role: schedulerRole,
          input: scheduler.ScheduleTargetInput.fromObject(event),
          retryAttempts: REPORT_RETRIES.schedulerAttempts,
          deadLetterQueue: props.failureQueue,
        }),
      });
      // A named group reaches the schedule as its literal name, with no reference CloudFormation
      // could order by: without this the schedule may be created before its group, and fail.
      made.node.addDependency(props.scheduleGroup);
      return made;
    };
    // One schedule for every instance: the handler starts one invocation of the function per
    // instance and reports none itself, so each instance's report has the whole timeout (a
    // schedule per instance would do the same for a resource per instance, which 20 instances
    // with every feature cannot spare within the stack's 500).
    // Not 'Schedule', the id of the schedules that lived in the default group: CloudFormation
    // updates GroupName in place, which looks the schedule up in its new group and fails
    // (aws/aws-cdk#34216); a new id replaces it (created in the group, the old one deleted).
    this.schedule = scheduleOf(
      'GroupSchedule',
      'Weekly Domo activity report',
      report.schedule,
      SCHEDULED_EVENT,
    );
    if (report.correctionSchedule !== null) {
      // A week mailed partial was corrected only by the next weekly run, a week later: this run
      // mails its correction within a day of the ingest catching up; one resource more for the
      // stack, not one an instance.
      this.correctionSchedule = scheduleOf(
        'CorrectionSchedule',
        'Corrections of weeks mailed with hours missing',
        report.correctionSchedule,
        CORRECTIONS_EVENT,
      );
    }
    // The run the schedule starts invokes the function once per instance. Granted in the
    // function's resource policy: a grant in its role would name the function, which depends on
    // that role (a dependency cycle). Its own role only, and this function only.
    this.lakeFunction.fn.addPermission('InvokeEachInstance', {
      principal: new iam.ArnPrincipal(role.roleArn),
      action: 'lambda:InvokeFunction',
    });
  }

  /**
   * Has each run check that the alarm topic (and the alerts topic, when given) still has a
   * confirmed subscription, and say so at the top of the report when one has none: the topics are
   * created after the report, so they are handed over here, once, and the function's variables
   * (written in the constructor) take their ARNs at synthesis. The role may list those topics'
   * subscriptions only.
   */
  watchTopics(alarmTopic: sns.ITopic, alertsTopic?: sns.ITopic): void {
    // A second call would leave the role listing both calls' topics, the function checking one.
    if (this.watched) throw new Error('WeeklyReport.watchTopics: the topics are handed over once');
    this.watched = { alarmTopic, alertsTopic };
    this.lakeFunction.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sns:ListSubscriptionsByTopic'],
        resources: [alarmTopic.topicArn, ...(alertsTopic ? [alertsTopic.topicArn] : [])],
      }),
    );
  }
}
