/**
 * The 100 KB budget against Gmail's clipping counts the HTML as the mail carries it,
 * quoted-printable (the transfer encoding of a text part, the file mailer's, and by public reports
 * SES's), as Gmail is reported to clip on the encoded source.
 * Counted as decoded UTF-8, a report of Japanese names was let through at a size whose
 * quoted-printable form (each byte of a kanji is `=XX`) was far past it.
 */
import { describe, expect, it } from 'vitest';
import { encodedBytes, HTML_BUDGET_BYTES } from '../../../functions/core/mail/render-limits.ts';
import { quotedPrintable } from '../../../functions/core/quoted-printable.ts';
import { renderReport } from '../../../functions/core/report/render-report.ts';
import type { WeeklyReportModel } from '../../../functions/core/report/report-model.ts';
import { longTopLists } from './model-fixture.ts';

/** How the file mailer encodes `text`, in bytes (quoted-printable is ASCII). */
const asSent = (text: string) => quotedPrintable(text).length;

/** A week of `rows` users, cards, pages and countries, each named in Japanese past the clip. */
function japaneseWeek(rows: number): WeeklyReportModel {
  const name = (i: number) => `東京本社営業企画部第二課売上分析ダッシュボード閲覧者一覧表${i}番`;
  return {
    ...longTopLists(rows, (_, i) => name(i)),
    loginsByCountry: Array.from({ length: rows }, (_, i) => ({ country: name(i), logins: 3, users: 1 })),
  };
}

describe('the HTML budget', () => {
  it('is counted as the file mailer encodes the HTML, quoted-printable', () => {
    const texts = [
      '',
      'a',
      '<td style="width:38%;">x</td>',
      `${'='.repeat(200)}\n${'x'.repeat(75)}\r\n${'y'.repeat(76)} \n\t`,
      `東京${'本社'.repeat(100)}\r${'😀'.repeat(30)} `,
    ];
    for (const text of texts) {
      expect(encodedBytes(text)).toBe(asSent(text));
    }
  });

  it('keeps a report of Japanese names within it as quoted-printable', () => {
    const { html, shortened } = renderReport(japaneseWeek(200), 200);
    expect(shortened).toBe(true);
    expect(asSent(html)).toBeLessThanOrEqual(HTML_BUDGET_BYTES);
  });
});
