import type { QueryResult } from '../core/ports.ts';

/**
 * `result` with the instance it was read from as a last column, `instance`, for the machine
 * formats of a query of one instance of a lake of several: a script that loops over instances and joins the outputs
 * could not tell whose rows they were (a user id is one instance's own; review R-MULTI L6). Last,
 * so the columns before it keep their places; not added where the query has a column of that name
 * (it reads every instance and says whose each row is).
 */
export function withInstanceColumn(result: QueryResult, instance: string | undefined): QueryResult {
  if (instance === undefined || result.columns.some((column) => column.name === 'instance')) return result;
  return {
    ...result,
    columns: [...result.columns, { name: 'instance', type: 'varchar' }],
    rows: result.rows.map((row) => ({ ...row, instance })),
  };
}
