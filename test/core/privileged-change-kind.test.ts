import { describe, expect, it } from 'vitest';
import { type ChangeFacts, kindOfChange } from '../../functions/core/privileged-change-kind.ts';

/**
 * A change's kind reads Domo's types in upper case as admin_changes.sql's `upper()` does, character
 * by character (functions/core/sql-upper.ts): `acceß_token` is no `ACCESS_TOKEN` and `ßo_page` no
 * `SSO_PAGE` there, where JavaScript's `toUpperCase` spells `ß` out as `SS`.
 */
const change = (objectType: string, actionType: string): ChangeFacts => ({
  userId: '7',
  userName: 'Ann',
  actorId: null,
  actorName: null,
  actionType,
  objectType,
  objectId: '9',
  objectName: 'thing',
  comment: null,
});

describe("a privileged change's kind reads letter case as the SQL does", () => {
  it('a type upper only by the full rules is no token nor sign-in setting', () => {
    expect(kindOfChange(change('acceß_token', 'CREATED'))).toBe('other');
    expect(kindOfChange(change('ßo_page', 'UPDATED'))).toBe('other');
  });

  it('letter case aside, and a long s, are the same type', () => {
    expect(kindOfChange(change('Access_Token', 'created'))).toBe('token_made');
    expect(kindOfChange(change('acceſſ_token', ' CREATED '))).toBe('token_made');
    expect(kindOfChange(change('ſſo_page', 'UPDATED'))).toBe('sign_in_settings');
  });

  it("reads admin where the SQL's lower() finds it, İ (U+0130) as i", () => {
    const named = (objectName: string): ChangeFacts => ({ ...change('GROUP', 'UPDATED'), objectName });
    expect(kindOfChange(named('ADM\u0130NS'))).toBe('admin');
    expect(kindOfChange(named('adm\u0131n'))).toBe('other');
    expect(kindOfChange(named('Tier Admin'))).toBe('admin');
  });

  it("trims the action as Athena's trim() does", () => {
    expect(kindOfChange(change('ACCESS_TOKEN', '\tCREATED\n'))).toBe('token_made');
    expect(kindOfChange(change('ACCESS_TOKEN', '\u3000CREATED'))).toBe('token_made');
    expect(kindOfChange(change('ACCESS_TOKEN', '\u00A0CREATED'))).toBe('other');
    expect(kindOfChange(change('ACCESS_TOKEN', '\uFEFFCREATED'))).toBe('other');
  });
});
