/**
 * The version of the DuckDB library the local queries run on (`v1.5.6`), as an evidence bundle
 * names the engine its rows came from. Loaded when asked: DuckDB's package costs ~0.4 CPU-s to load.
 */
export async function duckDbVersion(): Promise<string> {
  const { version } = await import('@duckdb/node-api');
  return version();
}
