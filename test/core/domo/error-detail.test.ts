import { describe, expect, it } from 'vitest';
import { bodySnippet, describeErrorResponse, oneLine } from '../../../functions/core/domo/error-detail.ts';
import { cpuMsOf } from '../../support/cpu-time.ts';

describe('describeErrorResponse', () => {
  it("quotes Domo's JSON error body: reason, message and trace id", () => {
    const body = JSON.stringify({
      status: 403,
      statusReason: 'Forbidden',
      message: 'Client does not have the audit scope',
      path: '/v1/audit',
      toe: 'ABC-123',
    });
    expect(describeErrorResponse(403, '', body)).toBe(
      'HTTP 403 Forbidden: Client does not have the audit scope (Domo trace id ABC-123)',
    );
  });

  it('falls back to the HTTP status text when the JSON lacks fields', () => {
    expect(describeErrorResponse(400, 'Bad Request', '{"message":"start is required"}')).toBe(
      'HTTP 400 Bad Request: start is required',
    );
  });

  it("uses an HTML page's title, or its text without tags, on one line", () => {
    expect(
      describeErrorResponse(502, 'Bad Gateway', '<html><title>\n502 Bad Gateway\n</title><body>x</body>'),
    ).toBe('HTTP 502 Bad Gateway: 502 Bad Gateway');
    expect(describeErrorResponse(500, 'Internal Server Error', '<p>Oops,\n\n  try   later</p>')).toBe(
      'HTTP 500 Internal Server Error: Oops, try later',
    );
  });

  it('copes with an empty body and with JSON that is not an object', () => {
    expect(describeErrorResponse(503, 'Service Unavailable', '')).toBe('HTTP 503 Service Unavailable');
    expect(describeErrorResponse(500, 'Internal Server Error', '"boom"')).toBe(
      'HTTP 500 Internal Server Error: "boom"',
    );
  });

  it('names JSON nested too deep to serialise again, without quoting it or throwing', () => {
    // Escaped, a secret in it would pass the scrub: the text is not quoted.
    const deep = `["\\u0073ecret",${'['.repeat(200_000)}${']'.repeat(200_000)}]`;
    const scrub = (text: string) => text.replaceAll('secret', '***');
    expect(describeErrorResponse(503, 'Service Unavailable', deep, true, scrub)).toBe(
      'HTTP 503 Service Unavailable: a JSON body nested too deep to quote',
    );
  });

  it('does not repeat a message that only says the reason', () => {
    expect(describeErrorResponse(503, 'Service Unavailable', '<p>Service Unavailable</p>')).toBe(
      'HTTP 503 Service Unavailable',
    );
  });

  it("reads an HTML page's text when its title is blank", () => {
    expect(describeErrorResponse(403, 'Forbidden', '<title> </title><h1>Access denied</h1>')).toBe(
      'HTTP 403 Forbidden: Access denied',
    );
  });

  it('keeps a long body to one short line', () => {
    const text = describeErrorResponse(500, 'Internal Server Error', `line\n${'x'.repeat(1000)}`);
    expect(text).not.toContain('\n');
    expect(text.length).toBeLessThan(260);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('oneLine and bodySnippet', () => {
  it('flatten whitespace and cut to the limit', () => {
    expect(oneLine(' a \n\t b ', 10)).toBe('a b');
    expect(oneLine('abcdefghijkl', 5)).toBe('abcd…');
    expect(oneLine('abcde', 5)).toBe('abcde');
    expect(bodySnippet('[{"time": 1', 60)).toBe('[{"time": 1');
  });

  it('reads a hostile body in time linear in its length: a page of unclosed tags or titles', async () => {
    // A 2xx body that is not JSON is quoted from up to maxBodyBytes (8 MiB). Regular expressions
    // rescanning the rest from every '<' took 3 s for 64 KiB of '<', ~30 s for these 200 KB and
    // hours for a megabyte; read once, each takes milliseconds.
    for (const body of ['<'.repeat(200_000), '<title>'.repeat(40_000), `<title>${'<'.repeat(200_000)}`]) {
      const { value: snippet, ms } = await cpuMsOf(() => bodySnippet(body, 60));
      expect(ms, body.slice(0, 10)).toBeLessThan(2000);
      expect(snippet.length).toBeLessThanOrEqual(60);
    }
  });

  it('finds the title and strips the tags as before', () => {
    expect(bodySnippet('<TITLE lang="en">Down</Title>')).toBe('Down');
    expect(bodySnippet('<title</title>inner</title>')).toBe('inner');
    expect(bodySnippet('<p>a</p><b>b <i>c</i>')).toBe('a b c');
    expect(bodySnippet('a <b c <d> e')).toBe('a e');
    expect(bodySnippet('a <b> c < d')).toBe('a c < d');
    expect(bodySnippet('<title>no end <b>x</b>')).toBe('no end x');
  });
});

describe('oneLine on hostile text', () => {
  // The reviewer's string: a colour, an OSC window title ended by BEL, a bidi override and a NUL.
  const hostile = '\x1b[31mRED\x1b]0;pwned\x07 \u202eevil\x00nul';

  it('replaces C0 and C1 controls and bidi controls with spaces', () => {
    expect(oneLine(hostile)).toBe('[31mRED ]0;pwned evil nul');
    expect(oneLine('a\u009bb\u2066c\u200fd\x7fe')).toBe('a b c d e');
  });

  it('reaches every quoted field of an error answer', () => {
    const body = JSON.stringify({ statusReason: hostile, message: hostile, toe: hostile });
    const text = describeErrorResponse(400, hostile, body);
    expect(text).toBe('HTTP 400 [31mRED ]0;pwned evil nul (Domo trace id [31mRED ]0;pwned evil nul)');
    expect(bodySnippet(`<title>${hostile}</title>`)).toBe('[31mRED ]0;pwned evil nul');
    const shown = describeErrorResponse(502, hostile, `<p>${hostile}</p>`);
    const invisible = [...shown].filter((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x202e;
    });
    expect(invisible).toEqual([]);
  });

  it('does not join the pieces around a control into one word', () => {
    expect(oneLine('hun\x00ter2')).toBe('hun ter2');
  });

  it('leaves no half of a character where it cuts', () => {
    expect(oneLine('😀😀😀', 4)).toBe('😀\ufffd…');
  });
});
