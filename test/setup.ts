import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach } from 'vitest';
import { freshHandlerMetrics } from './support/fresh-handler-metrics.ts';

// Each test builds its handlers on the metrics a new Lambda process has (see there why).
beforeEach(freshHandlerMetrics);
