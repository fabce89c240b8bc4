/**
 * A column of a lake table, described once for every consumer: the writer's record type, the Glue
 * table (Hive type names), and DuckDB's `read_json(columns = …)` (DuckDB type names).
 */
export interface Column {
  name: string;
  glue: 'string' | 'bigint' | 'int' | 'timestamp' | 'boolean' | 'array<string>';
  comment: string;
}

const duckTypes: Record<Column['glue'], string> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  int: 'INTEGER',
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
  'array<string>': 'VARCHAR[]',
};

export const duckdbType = (column: Column): string => duckTypes[column.glue];
