/**
 * Where a mail's text part wraps its sentences (the report's and the alerts'): a mail client shows
 * text/plain as it is, one line per line, and 72 columns is what plain-text mail keeps to
 * (RFC 3676), readable in any window and quotable.
 */
export const TEXT_WIDTH = 72;
