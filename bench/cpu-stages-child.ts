/**
 * bench/cpu-stages.ts in a process of its own, for the stages on another Node than the bench's
 * (the Lambdas'): `node --import tsx bench/cpu-stages-child.ts '{"spec":…,"rounds":3}'` prints the
 * CpuStages as JSON. The loader compiles the modules before anything is timed.
 */
import { benchCpuStages } from './cpu-stages.ts';
import type { WorkloadSpec } from './workload.ts';

const { spec, rounds } = JSON.parse(process.argv[2] ?? '{}') as { spec: WorkloadSpec; rounds: number };
process.stdout.write(JSON.stringify(benchCpuStages(spec, rounds)));
