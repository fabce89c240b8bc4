/** One figure of issue 9 beside its target. */
export interface TargetRow {
  figure: string;
  value: string;
  target: string;
  /** undefined: not measured in this run. */
  pass: boolean | undefined;
}

const mark = (pass: boolean | undefined) => (pass === undefined ? '?' : pass ? 'PASS' : 'FAIL');

export function target(figure: string, value: string, goal: string, pass: boolean | undefined): TargetRow {
  return { figure, value, target: goal, pass };
}

/** Prints the rows as a table: figure, value, target and a PASS/FAIL marker. */
export function printTargets(rows: readonly TargetRow[]): void {
  const width = (pick: (r: TargetRow) => string) => Math.max(...rows.map((r) => pick(r).length));
  const w = [width((r) => r.figure), width((r) => r.value), width((r) => r.target)];
  for (const row of rows) {
    console.log(
      `${mark(row.pass).padEnd(4)}  ${row.figure.padEnd(w[0] ?? 0)}  ${row.value.padStart(w[1] ?? 0)}  target ${row.target}`,
    );
  }
}
