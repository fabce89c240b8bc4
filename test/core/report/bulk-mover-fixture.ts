/** Bulk data movers as the demo's leaver week has them: one far above their usual, one first-time. */
import type { BulkDataMover } from '../../../functions/core/report/report-model.ts';

export const leaver: BulkDataMover = {
  userId: '1263963830',
  userName: 'Yara Varga',
  finding: 'above_baseline',
  moves: 14,
  exports: 8,
  shares: 6,
  datasetExports: 4,
  objects: 13,
  historyMoves: 6,
  historyEvents: 1057,
  baselineMoves: 3,
  firstTime: '2026-11-16 12:52:44.649',
  lastTime: '2026-11-20 09:54:19.958',
};

export const firstTimer: BulkDataMover = {
  ...leaver,
  userId: '1692107608',
  userName: 'Hiro Santos',
  finding: 'first_time',
  moves: 1,
  exports: 0,
  shares: 1,
  datasetExports: 0,
  objects: 1,
  historyMoves: 0,
  historyEvents: 310,
  baselineMoves: 0,
  firstTime: '2026-11-19 06:41:52.122',
  lastTime: '2026-11-19 06:41:52.122',
};
