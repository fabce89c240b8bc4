/**
 * A column of a lake table, described once for every consumer: the writer's record type, the Glue
 * table (Hive type names), and DuckDB's `read_json(columns = …)` (DuckDB type names).
 */
export interface Column {
  name: string;
  glue: 'string' | 'bigint' | 'int' | 'timestamp' | 'boolean';
  comment: string;
}

const duckTypes: Record<Column['glue'], string> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  int: 'INTEGER',
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
};

export const duckdbType = (column: Column): string => duckTypes[column.glue];
