import { renderHtml } from './render-html.ts';
import { HTML_BUDGET_BYTES, halveListCaps, RENDER_LIMITS, type RenderLimits } from './render-limits.ts';
import { renderText } from './render-text.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { reportSubject } from './report-subject.ts';

/** The three renderings of a report that go into a mail. */
export interface RenderedReport {
  subject: string;
  html: string;
  text: string;
  /** The caps the renderings were made with: smaller than {@link RENDER_LIMITS} when the lists had to shrink. */
  limits: RenderLimits;
}

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).byteLength;

/**
 * Renders subject, HTML body and plain-text alternative from one model. The HTML is kept within
 * {@link HTML_BUDGET_BYTES} by measuring it: while it is larger, the list caps are halved and it
 * is rendered again (the lists then say how many rows were left out). Halving ends with empty
 * lists, whose report is a few kilobytes, so the bound always holds. The text uses the same caps,
 * so both parts show the same rows.
 */
export function renderReport(model: WeeklyReportModel): RenderedReport {
  const subject = reportSubject(model);
  let limits = RENDER_LIMITS;
  let html = renderHtml(model, subject, limits);
  while (utf8Bytes(html) > HTML_BUDGET_BYTES) {
    const smaller = halveListCaps(limits);
    if (!smaller) break;
    limits = smaller;
    html = renderHtml(model, subject, limits);
  }
  return { subject, html, text: renderText(model, limits), limits };
}
