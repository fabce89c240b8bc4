import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * A row of widgets added after it was placed on the dashboard, laid out once all are known: the
 * dashboard lays its rows out at synth, so alarms made by constructs built later still land in it.
 * Not CDK's `Row.addWidget`, which puts each widget it adds below the row's whole height rather
 * than beside the one before: four 12-wide status widgets came out as a staircase of four rows.
 */
export class AlarmStatusRow implements cloudwatch.IWidget {
  private readonly widgets: cloudwatch.IWidget[] = [];
  /** The layout `position` made, which `toJson` writes; undone by a widget added after it. */
  private laidOut: cloudwatch.Row | undefined;

  add(...widgets: cloudwatch.IWidget[]): void {
    this.widgets.push(...widgets);
    this.laidOut = undefined;
  }

  private get row(): cloudwatch.Row {
    this.laidOut ??= new cloudwatch.Row(...this.widgets);
    return this.laidOut;
  }

  get width(): number {
    return this.row.width;
  }

  get height(): number {
    return this.row.height;
  }

  position(x: number, y: number): void {
    this.row.position(x, y);
  }

  // biome-ignore lint/suspicious/noExplicitAny: IWidget.toJson returns any[] (aws-cdk-lib's signature).
  toJson(): any[] {
    return this.row.toJson();
  }
}
