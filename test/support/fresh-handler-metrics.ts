import { metrics } from '../../functions/shared/powertools.ts';
import { SERVICE_NAME } from '../../functions/shared/telemetry.ts';

/**
 * Returns the handlers' shared Powertools metrics to what a new Lambda process has: `service`
 * alone. Each handler factory sets its default dimensions (the stack, and the ingest's instance)
 * on that process-wide singleton, which Lambda builds once per process; a test worker builds
 * hundreds of handlers (test files share their modules: isolate: false), and each build after the
 * first warned `Dimension "stack" has already been added` (60 to 100 lines of a run's stderr) and
 * kept what the one before had set (an alerts handler built after an ingest one carried its
 * `instance`). A real second add within one build still warns.
 */
export function freshHandlerMetrics(): void {
  metrics.clearDefaultDimensions();
  metrics.setDefaultDimensions({ service: SERVICE_NAME });
}
