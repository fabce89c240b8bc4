import { describe, expect, it } from 'vitest';
import {
  endBySignal,
  exitWithStatus,
  processInterrupts,
  type SignalledProcess,
} from '../../functions/cli/interrupts.ts';

/** A process that records what is done to it; its own signals end nothing (they are recorded). */
function recordingProcess(platform = 'linux') {
  const calls: string[] = [];
  const proc: SignalledProcess = {
    platform,
    pid: 4242,
    removeAllListeners: (event) => calls.push(`removeAllListeners ${event}`),
    kill: (pid, signal) => calls.push(`kill ${pid} ${signal}`),
    exit: (code) => {
      calls.push(`exit ${code}`);
    },
  };
  return { proc, calls };
}

describe('endBySignal', () => {
  it('removes the handlers and sends the process its signal; exits with its status if it lives on', () => {
    const { proc, calls } = recordingProcess();
    endBySignal('SIGINT', proc);
    expect(calls).toEqual(['removeAllListeners SIGINT', 'kill 4242 SIGINT', 'exit 130']);
  });

  it('exits with the status where the signal cannot be sent', () => {
    const throwing = recordingProcess();
    endBySignal('SIGTERM', {
      ...throwing.proc,
      kill: () => {
        throw new Error('ENOSYS');
      },
    });
    expect(throwing.calls).toEqual(['removeAllListeners SIGTERM', 'exit 143']);
    // Windows would end the process by its own means, with another status: no signal there.
    const windows = recordingProcess('win32');
    endBySignal('SIGINT', windows.proc);
    expect(windows.calls).toEqual(['exit 130']);
  });
});

describe('exitWithStatus', () => {
  it('ends by the signal for 130, 143 and 129, and exits with any other status', () => {
    for (const [code, expected] of [
      [130, ['removeAllListeners SIGINT', 'kill 4242 SIGINT', 'exit 130']],
      [143, ['removeAllListeners SIGTERM', 'kill 4242 SIGTERM', 'exit 143']],
      [129, ['removeAllListeners SIGHUP', 'kill 4242 SIGHUP', 'exit 129']],
      [0, ['exit 0']],
      [1, ['exit 1']],
      [2, ['exit 2']],
    ] as const) {
      const { proc, calls } = recordingProcess();
      exitWithStatus(code, proc);
      expect(calls).toEqual(expected);
    }
  });
});

describe('processInterrupts', () => {
  it('hears the three signals while it listens, and leaves no handler of its own once stopped', () => {
    const count = () => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((name) => process.listenerCount(name));
    const before = count();
    const heard: string[] = [];
    const stop = processInterrupts.listen((name) => heard.push(name));
    expect(count()).toEqual(before.map((n) => n + 1));
    process.emit('SIGINT');
    process.emit('SIGTERM');
    // A closed terminal: unheard, it ended an ingest before the run was recorded.
    process.emit('SIGHUP');
    stop();
    expect(heard).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
    // A handler left behind would keep Ctrl-C from ending the process after the command.
    expect(count()).toEqual(before);
  });
});
