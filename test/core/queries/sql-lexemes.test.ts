/**
 * The lexemes both readers of catalog SQL share (the placeholder scan, the dates a query reads):
 * nothing inside a literal, a quoted name or a comment comes out as code, and the pieces are the
 * whole text.
 */
import { describe, expect, it } from 'vitest';
import { sqlLexemes } from '../../../functions/core/queries/sql-lexemes.ts';

const kinds = (sql: string) =>
  [...sqlLexemes(sql)].filter(({ kind }) => kind !== 'blank').map(({ kind, text }) => [kind, text]);

describe('sqlLexemes', () => {
  it('cuts the whole text, literals, quoted names and comments each in one piece', () => {
    const sql = `SELECT 'it''s ?' AS "a""?" -- ? 'x\r/* ? */ x>=? /* from_dt */ || ?`;
    expect([...sqlLexemes(sql)].map(({ text }) => text).join('')).toBe(sql);
    expect(kinds(sql)).toEqual([
      ['word', 'SELECT'],
      ['string', "'it''s ?'"],
      ['word', 'AS'],
      ['identifier', '"a""?"'],
      ['comment', "-- ? 'x"],
      ['comment', '/* ? */'],
      ['word', 'x'],
      ['sign', '>='],
      ['placeholder', '? /* from_dt */'],
      ['sign', '||'],
      ['placeholder', '?'],
    ]);
    expect([...sqlLexemes('"a""b"')]).toEqual([{ kind: 'identifier', at: 0, text: '"a""b"', name: 'a"b' }]);
  });

  it('runs what is left open to the end of the text', () => {
    for (const open of ["'a ?", '"a ?', '/* a ?', '-- a ?']) {
      expect(kinds(`x ${open}`), open).toEqual([
        ['word', 'x'],
        [open.startsWith("'") ? 'string' : open.startsWith('"') ? 'identifier' : 'comment', open],
      ]);
    }
  });

  it("ends a block comment at its first */ and leaves DuckDB's own strings to the reader", () => {
    expect(kinds("/* a /* b */ ? E'a' $$")).toEqual([
      ['comment', '/* a /* b */'],
      ['placeholder', '?'],
      ['word', 'E'],
      ['string', "'a'"],
      ['sign', '$'],
      ['sign', '$'],
    ]);
  });
});

describe('long quoted text', () => {
  it('cuts a literal and a quoted name of 16 MB each as one lexeme, without overflowing the stack', () => {
    const long = 'x'.repeat(16 * 1024 * 1024);
    const kinds = [...sqlLexemes(`SELECT '${long}''${long}', "${long}" FROM t WHERE a = ?`)].map(
      (lexeme) => lexeme.kind,
    );
    expect(kinds.filter((kind) => kind === 'string' || kind === 'identifier')).toEqual([
      'string',
      'identifier',
    ]);
    expect(kinds.at(-1)).toBe('placeholder');
  });
});
