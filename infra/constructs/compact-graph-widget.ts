import { Aws, type Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A metric as a dashboard's `metrics` array writes it: namespace, metric name, then dimension names
 * and values, then (optionally) how it is drawn.
 */
export type MetricLine = (string | Record<string, unknown>)[];

/** What CloudWatch reads a value of a metric line as: "the same as in the line before". */
export const SAME_AS_ABOVE = '.';

/** One metric of a graph and the axis it is drawn on. */
interface GraphedMetric {
  metric: cloudwatch.Metric;
  axis: 'left' | 'right';
}

/** The period and statistic a graph draws its metrics with unless a metric says otherwise. */
interface GraphDefaults {
  periodSeconds: number;
  statistic: string;
}

/** The namespace, name and dimensions of `metric` (by name, as CDK's own graphs write them). */
const identityOf = (metric: cloudwatch.Metric): string[] => [
  metric.namespace,
  metric.metricName,
  ...Object.entries(metric.dimensions ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, value]) => [name, String(value)]),
];

/**
 * What `metric` says that {@link optionsOf} does not write (its unit, colour, account, region,
 * id, visibility): a graph that dropped it would draw another metric, or draw it otherwise,
 * without a word, so the widget refuses it instead.
 */
function uncarriedOptions(metric: cloudwatch.Metric): string[] {
  const { metricStat, renderingProperties = {} } = metric.toMetricConfig();
  return [
    ...(metricStat?.unitFilter === undefined ? [] : ['unit']),
    ...(metricStat?.accountOverride === undefined ? [] : ['account']),
    ...(metricStat?.regionOverride === undefined ? [] : ['region']),
    // Written with every key, unset ones undefined.
    ...Object.entries(renderingProperties)
      .filter(([key, value]) => key !== 'label' && value !== undefined)
      .map(([key]) => key),
    ...(metric.id === undefined ? [] : ['id']),
    ...(metric.visible === undefined ? [] : ['visible']),
  ];
}

/** How `graphed` is drawn where it differs from the graph's defaults; empty when it does not. */
function optionsOf({ metric, axis }: GraphedMetric, defaults: GraphDefaults): Record<string, unknown> {
  const period = metric.period.toSeconds();
  return {
    ...(metric.label === undefined ? {} : { label: metric.label }),
    ...(period === defaults.periodSeconds ? {} : { period }),
    ...(metric.statistic === defaults.statistic ? {} : { stat: metric.statistic }),
    ...(axis === 'right' ? { yAxis: 'right' } : {}),
  };
}

/**
 * The graph's metrics as a dashboard writes them, each value the line before already has at the
 * same place written as {@link SAME_AS_ABOVE} (as the console's own source view does), and the
 * period and statistic written only where they differ from the graph's. Why: with 20 instances
 * of 63-character names the dashboard repeated each instance's name, the namespace and the stack's
 * dimensions in every line, a fifth of the template CloudFormation limits to 1,000,000 bytes.
 */
export function compactMetricLines(graphed: readonly GraphedMetric[], defaults: GraphDefaults): MetricLine[] {
  let above: string[] = [];
  return graphed.map((one) => {
    const identity = identityOf(one.metric);
    const line: MetricLine = identity.map((value, i) => (value === above[i] ? SAME_AS_ABOVE : value));
    above = identity;
    const options = optionsOf(one, defaults);
    return Object.keys(options).length > 0 ? [...line, options] : line;
  });
}

/**
 * The metric lines with every {@link SAME_AS_ABOVE} replaced by the value it stands for, as
 * CloudWatch reads them: what each line graphs, for a reader of the template.
 */
export function expandMetricLines(lines: readonly MetricLine[]): MetricLine[] {
  let above: MetricLine = [];
  return lines.map((line) => {
    const expanded = line.map((value, i) => (value === SAME_AS_ABOVE ? (above[i] as string) : value));
    above = expanded;
    return expanded;
  });
}

interface CompactGraphWidgetProps {
  title: string;
  left: readonly cloudwatch.Metric[];
  right?: readonly cloudwatch.Metric[];
  /** The period most of its metrics have: written once for the graph. */
  period: Duration;
  /** The statistic most of its metrics have: written once for the graph. */
  statistic: string;
  width?: number;
  height?: number;
}

/**
 * A time-series graph of metrics (not expressions) written as {@link compactMetricLines} does: the
 * same graph CDK's GraphWidget draws, in fewer bytes of the template.
 */
export class CompactGraphWidget extends cloudwatch.ConcreteWidget {
  private readonly props: CompactGraphWidgetProps;

  constructor(props: CompactGraphWidgetProps) {
    super(props.width ?? 6, props.height ?? 6);
    for (const metric of [...props.left, ...(props.right ?? [])]) {
      const uncarried = uncarriedOptions(metric);
      if (uncarried.length > 0)
        throw new Error(
          `CompactGraphWidget "${props.title}": ${metric.namespace}/${metric.metricName} sets ${uncarried.join(', ')}, which its compact metric line does not write: write it in optionsOf (compact-graph-widget.ts), or draw the graph with cloudwatch.GraphWidget`,
        );
    }
    this.props = props;
    this.copyMetricWarnings(...props.left, ...(props.right ?? []));
  }

  // biome-ignore lint/suspicious/noExplicitAny: IWidget.toJson returns any[] (aws-cdk-lib's signature).
  toJson(): any[] {
    const { title, left, right = [], period, statistic } = this.props;
    const defaults = { periodSeconds: period.toSeconds(), statistic };
    const graphed: GraphedMetric[] = [
      ...left.map((metric) => ({ metric, axis: 'left' as const })),
      ...right.map((metric) => ({ metric, axis: 'right' as const })),
    ];
    return [
      {
        type: 'metric',
        width: this.width,
        height: this.height,
        x: this.x,
        y: this.y,
        properties: {
          view: 'timeSeries',
          title,
          region: Aws.REGION,
          period: defaults.periodSeconds,
          stat: statistic,
          metrics: compactMetricLines(graphed, defaults),
        },
      },
    ];
  }
}
