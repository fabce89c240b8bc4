import { type ChildProcess, fork } from 'node:child_process';
import type { SimulatorStats } from '../functions/simulator/index.ts';
import type { SimProcessConfig } from './sim-process.ts';

export interface SimHandle {
  url: string;
  events: number;
  /** The server enforces `rateLimitPerSecond`. */
  throttled: boolean;
  stats(): Promise<SimulatorStats>;
  close(): Promise<void>;
}

function nextMessage<T>(child: ChildProcess, pick: (message: unknown) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      const value = pick(message);
      if (value === undefined) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(value);
    };
    const onExit = (code: number | null) => reject(new Error(`simulator process exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Starts the simulator bundle in a process of its own and resolves once it listens. */
export async function startSimProcess(bundle: string, config: SimProcessConfig): Promise<SimHandle> {
  const child = fork(bundle, [JSON.stringify(config)], {
    env: { ...process.env, NODE_OPTIONS: '' },
    execArgv: ['--max-old-space-size=8192'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextMessage(child, (m) =>
    typeof m === 'object' && m !== null && 'url' in m
      ? (m as { url: string; events: number; throttled: boolean })
      : undefined,
  );
  return {
    url: ready.url,
    events: ready.events,
    throttled: ready.throttled,
    stats: () => {
      const reply = nextMessage(child, (m) =>
        typeof m === 'object' && m !== null && 'stats' in m
          ? (m as { stats: SimulatorStats }).stats
          : undefined,
      );
      child.send('stats');
      return reply;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await exited;
    },
  };
}
