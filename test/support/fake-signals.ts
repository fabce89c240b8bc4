import type { InterruptName, InterruptSource } from '../../functions/cli/interrupts.ts';

/**
 * The process's signals, played by a test: `send` delivers one, `quits` are the immediate ends a
 * second one asked for; `onListen` runs each time the command starts listening (to send one then).
 */
export function fakeSignals(onListen?: (send: (name: InterruptName) => void) => void) {
  let listener: ((name: InterruptName) => void) | undefined;
  const quits: InterruptName[] = [];
  let listened = 0;
  const send = (name: InterruptName) => listener?.(name);
  const source: InterruptSource = {
    listen(on) {
      listener = on;
      listened += 1;
      onListen?.(send);
      return () => {
        listener = undefined;
      };
    },
    quit: (name) => quits.push(name),
  };
  return { source, quits, send, listened: () => listened, listening: () => listener !== undefined };
}
