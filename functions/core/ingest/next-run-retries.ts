/**
 * How a failure of hours a run reads says they are tried again: true of a run from the checkpoint,
 * whose next run pulls the hours it failed. Not of a range run, which no later run repeats: its
 * failures say so instead ({@link asRangeRunFailure}; review R-SECOND L4).
 */
export const NEXT_RUN_RETRIES = 'the next run tries it again';

/** `message`, a failure of a range run's hours, saying who tries them again. */
export const asRangeRunFailure = (message: string): string =>
  message.replaceAll(
    NEXT_RUN_RETRIES,
    'no later run pulls these hours by itself: a run of the same range tries it again',
  );
