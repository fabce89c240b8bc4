/**
 * What `work` gave and the CPU time this process spent while it ran, in milliseconds: what a check that some input is
 * read in linear time bounds. Wall time is no measure of that on a loaded machine (CI's two cores
 * shared by two workers and their DuckDB and subprocesses once stretched a 0.5 s wait to 11 s); the
 * CPU time of the work itself barely moves, while the quadratic reading it guards against takes
 * seconds of CPU on any machine.
 */
export async function cpuMsOf<T>(work: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const before = process.cpuUsage();
  const value = await work();
  const { user, system } = process.cpuUsage(before);
  return { value, ms: (user + system) / 1000 };
}
