import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Log, LogFields } from '../core/ports.ts';
import { METRIC_NAMESPACE, SERVICE_NAME } from './telemetry.ts';

/**
 * The Powertools singletons every Lambda handler shares, configured once so all functions log and
 * publish metrics the same way. Log level comes from `POWERTOOLS_LOG_LEVEL` (default INFO).
 */
export const logger = new Logger({ serviceName: SERVICE_NAME });

/** EMF metrics in the project namespace; `service` is always a dimension (see telemetry.ts). */
export const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: SERVICE_NAME });

const emit =
  (write: (message: string, attributes: LogFields) => void, writeBare: (message: string) => void) =>
  (message: string, fields?: LogFields) =>
    fields ? write(message, fields) : writeBare(message);

/**
 * The shared logger seen through the core's {@link Log} port (Powertools' overloads do not accept
 * an explicit `undefined` for the fields, so the port cannot take the Logger directly).
 */
export const log: Log = {
  debug: emit(
    (m, f) => logger.debug(m, f),
    (m) => logger.debug(m),
  ),
  info: emit(
    (m, f) => logger.info(m, f),
    (m) => logger.info(m),
  ),
  warn: emit(
    (m, f) => logger.warn(m, f),
    (m) => logger.warn(m),
  ),
  error: emit(
    (m, f) => logger.error(m, f),
    (m) => logger.error(m),
  ),
};
