import type { Clock, DomoCredentials, Log } from '../core/ports.ts';
import { systemClock } from '../core/runtime.ts';
import type { DigestSignerFactory } from './chain-signer.ts';
import type { InterruptSource } from './interrupts.ts';

/** What every command reads and writes through: the process's streams and environment, or a test's. */
export interface CommandIo {
  /** Where `query --sql-file -` reads its SQL (default: the process's stdin). */
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  log: Log;
  /**
   * Whether `log` writes (--verbose, --debug): a command then leaves out the lines it says in their
   * stead, such as an ingest's waits on Domo, which the log already shows one retry at a time.
   */
  verbose?: boolean;
  /** Resolves `--secret-id`; injected so the command line works without the AWS SDK when unused. */
  secretCredentials?: (secretId: string) => Promise<DomoCredentials>;
  /** Signs digests with a KMS key, for a lake whose digest chain is signed (see chain-signer.ts). */
  digestSigner?: DigestSignerFactory;
  /**
   * What "now" is for the lake (settled hours, the last full week); default the system clock. Tests
   * pin it so a few simulated days cover a whole report week. Time budgets stay wall-clock.
   */
  clock?: Clock;
  /** Where a long command hears SIGINT/SIGTERM to wind down (default: the process's signals). */
  interrupts?: InterruptSource;
  /**
   * The operating system whose shells and file systems the command speaks to (default the
   * process's): tests set it to check what Windows or macOS operators are told.
   */
  platform?: NodeJS.Platform;
}

/** The clock a command reads "now" from. */
export const clockOf = (io: Pick<CommandIo, 'clock'>): Clock => io.clock ?? systemClock;

/** The platform a command advises for (see {@link CommandIo.platform}). */
export const platformOf = (io: Pick<CommandIo, 'platform'>): NodeJS.Platform =>
  io.platform ?? process.platform;
