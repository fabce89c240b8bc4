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
}

/**
 * The query catalog saved as Athena named queries, in a nested stack of its own. Why: its SQL
 * grows with every query added (a little more than the SQL files together) and pushed the
 * largest main template over CloudFormation's 1,000,000 bytes; a nested template has its own
 * limit (docs/decisions.md, "The saved queries in a nested stack").
 */
export class SavedQueriesStack extends NestedStack implements SizeAdvised {
  readonly sizeAdvice =
    'It holds the saved Athena queries, one per file of functions/queries: shorten the largest ' +
    'queries, or split them between two nested stacks (infra/constructs/saved-queries-stack.ts).';

  constructor(scope: Construct, id: string, props: SavedQueriesStackProps) {
    super(scope, id, {
      description: 'domo-activity-lake: the query catalog saved as Athena named queries',
      // As the main template: nobody reads cdk.out's indentation, and it would count toward the limit.
      suppressTemplateIndentation: true,
    });
    for (const query of props.queries) {
      new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: query.name,
        description: query.description,
        database: props.databaseName,
        workGroup: props.workGroup.ref,
        queryString: query.sql,
      });
    }
    // The database reaches the queries as a literal name, not a reference, so CloudFormation would
    // not order them after it by itself (the workgroup's Ref, a parameter, would). The stack's resource
    // sits beside them in the main stack.
    this.nestedStackResource?.addResourceDependency(props.workGroup);
    this.nestedStackResource?.addResourceDependency(props.database);
  }
}
