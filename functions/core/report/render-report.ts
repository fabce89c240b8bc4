import { renderHtml } from './render-html.ts';
import { renderText } from './render-text.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { reportSubject } from './report-subject.ts';

/** The three renderings of a report that go into a mail. */
export interface RenderedReport {
  subject: string;
  html: string;
  text: string;
}

/** Renders subject, HTML body and plain-text alternative from one model. */
export function renderReport(model: WeeklyReportModel): RenderedReport {
  const subject = reportSubject(model);
  return { subject, html: renderHtml(model, subject), text: renderText(model) };
}
