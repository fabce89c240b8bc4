import {
  encodedBytes,
  HTML_BUDGET_BYTES,
  type RenderLimits,
  shrinkListCaps,
  startingLimits,
} from '../mail/render-limits.ts';
import { renderMailHtml } from './render-html.ts';
import { renderMailText } from './render-text.ts';
import { reportForMail } from './report-for-mail.ts';
import type { WeeklyReportModel } from './report-model.ts';
import { reportSubject } from './report-subject.ts';

/** The three renderings of a report that go into a mail. */
export interface RenderedReport {
  subject: string;
  html: string;
  text: string;
  /** The caps the renderings were made with. */
  limits: RenderLimits;
  /** Whether the lists had to shrink below the caps the report started from to fit the budget. */
  shortened: boolean;
}

/**
 * Renders subject, HTML body and plain-text alternative from one model, with top lists of `topN`
 * rows (default 10, the model's queries' length). The HTML is kept within
 * {@link HTML_BUDGET_BYTES} by measuring it as the mail carries it ({@link encodedBytes},
 * quoted-printable): while it is larger, the list caps shrink a step ({@link shrinkListCaps}: the
 * activity lists first, the security lists last) and it is rendered again (the lists then say
 * how many rows were left out). Shrinking ends with empty lists, whose report is a few kilobytes,
 * so the bound always holds. The text uses the same caps,
 * so both parts show the same rows.
 */
export function renderReport(model: WeeklyReportModel, topN?: number): RenderedReport {
  const subject = reportSubject(model);
  // Defanged once for every rendering below: a copy of the model as it is now, which only they
  // see, so each reads the same strings renderHtml and renderText would defang themselves.
  const mail = reportForMail(model);
  let limits = startingLimits(topN);
  let shortened = false;
  let html = renderMailHtml(mail, subject, limits);
  while (encodedBytes(html) > HTML_BUDGET_BYTES) {
    const smaller = shrinkListCaps(limits);
    if (!smaller) break;
    limits = smaller;
    shortened = true;
    html = renderMailHtml(mail, subject, limits);
  }
  return { subject, html, text: renderMailText(mail, limits), limits, shortened };
}
