import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * An alarm's name: the stack's name, then what the runbooks call it (`main-IngestErrors`). Set
 * explicitly so an operator finds the alarm of a runbook heading by that name in the console and
 * reads it in the notification; CloudFormation's generated names carry a construct path and a
 * random suffix. The stack's name keeps two deployments in one account apart.
 */
export const alarmName = (scope: IConstruct, name: string): string => `${Stack.of(scope).stackName}-${name}`;
