import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach } from 'vitest';
import { removeCdkOutputFolders, trackCdkOutputFolders } from './support/cdk-output-folders.ts';
import { freshHandlerMetrics } from './support/fresh-handler-metrics.ts';

// Each test builds its handlers on the metrics a new Lambda process has (see there why).
beforeEach(freshHandlerMetrics);

// No file leaves a CDK output folder in the scratch directory (see there why). Registered before
// the file's own hooks, it runs after them.
trackCdkOutputFolders();
afterAll(() => {
  const left = removeCdkOutputFolders();
  if (left.length > 0)
    throw new Error(
      `this file left ${left.length} CDK output folder(s) it made itself: ${left.join(', ')} ` +
        '(removed now; remove them in the file)',
    );
});
