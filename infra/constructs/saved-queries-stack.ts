import { NestedStack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import type * as glue from 'aws-cdk-lib/aws-glue';
import type { Construct } from 'constructs';
import type { NamedQuerySource } from '../catalog/named-queries.ts';
import type { SizeAdvised } from '../template-size-limit.ts';

interface SavedQueriesStackProps {
  databaseName: string;
  /** The workgroup the queries are saved in; its name reaches the nested stack as a parameter. */
  workGroup: athena.CfnWorkGroup;
  database: glue.CfnDatabase;
  queries: readonly NamedQuerySource[];
  /** false: hold every query given (the second half's stack). */
  split?: boolean;
}

/**
 * The query catalog saved as Athena named queries, in nested stacks of their own. Why: its SQL
 * grows with every query added (a little more than the SQL files together) and pushed the
 * largest main template over CloudFormation's 1,000,000 bytes; a nested template has its own
 * limit (docs/decisions.md, "The saved queries in a nested stack"). This one holds the first half
 * of the queries by name and a nested stack of its own, {@link more}, the rest: in one template
 * they neared the build's margin. The second sits in the first, not beside it, as the main stack
 * has few of its 500 resources to spare. Halves by name keep a query where it is when another is
 * added, but for the one at the boundary.
 */
export class SavedQueriesStack extends NestedStack implements SizeAdvised {
  readonly sizeAdvice =
    'It holds saved Athena queries, one per file of functions/queries, half the catalog: shorten ' +
    'the largest queries, or split the catalog among more nested stacks ' +
    '(infra/constructs/saved-queries-stack.ts).';

  /** The second half of the queries; undefined when the first holds them all (one query). */
  readonly more: SavedQueriesStack | undefined;

  constructor(scope: Construct, id: string, props: SavedQueriesStackProps) {
    super(scope, id, {
      description: 'domo-activity-lake: the query catalog saved as Athena named queries',
      // As the main template: nobody reads cdk.out's indentation, and it would count toward the limit.
      suppressTemplateIndentation: true,
    });
    const half = props.split === false ? props.queries.length : Math.ceil(props.queries.length / 2);
    for (const query of props.queries.slice(0, half)) {
      new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: query.name,
        description: query.description,
        database: props.databaseName,
        workGroup: props.workGroup.ref,
        queryString: query.sql,
      });
    }
    const rest = props.queries.slice(half);
    // CloudFormation refuses a template without resources.
    this.more =
      rest.length === 0
        ? undefined
        : new SavedQueriesStack(this, 'More', { ...props, queries: rest, split: false });
    if (props.split === false) return;
    // The database reaches the queries as a literal name, not a reference, so CloudFormation would
    // not order them after it by itself (the workgroup's Ref, a parameter, would). The stack's resource
    // sits beside them in the main stack; the second half's, inside it, comes after it.
    this.nestedStackResource?.addResourceDependency(props.workGroup);
    this.nestedStackResource?.addResourceDependency(props.database);
  }
}
