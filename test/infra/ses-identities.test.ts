import { describe, expect, it } from 'vitest';
import {
  domainOf,
  identityCoversSender,
  isDomainName,
  planSesIdentities,
} from '../../infra/report/ses-identities.ts';

describe('SES identity names', () => {
  it('recognises domain names and the domain of an address', () => {
    for (const domain of ['example.com', 'mail.example.co.uk', 'a-b.example.io']) {
      expect(isDomainName(domain), domain).toBe(true);
    }
    for (const bad of ['example', 'reports@example.com', '-x.example.com', 'not a domain', 'example.c']) {
      expect(isDomainName(bad), bad).toBe(false);
    }
    expect(domainOf('Reports@Mail.Example.com')).toBe('mail.example.com');
  });

  it('says which identities can send as a sender: the address itself, its domain, or a parent domain', () => {
    const sender = 'reports@mail.example.com';
    expect(identityCoversSender('Reports@mail.example.com', sender)).toBe(true);
    expect(identityCoversSender('mail.example.com', sender)).toBe(true);
    expect(identityCoversSender('example.com', sender)).toBe(true);
    expect(identityCoversSender('other@mail.example.com', sender)).toBe(false);
    expect(identityCoversSender('ample.com', sender)).toBe(false);
    expect(identityCoversSender('sub.mail.example.com', sender)).toBe(false);
  });
});

describe('planSesIdentities', () => {
  const base = {
    sender: 'reports@example.com',
    recipients: ['sec@example.com', 'SEC@example.com', 'reports@example.com', 'ciso@example.org'],
    createSesIdentity: false,
  };

  it('grants the sender address and its domain when no identity is named, and each recipient and its domain once', () => {
    expect(planSesIdentities(base)).toEqual({
      sending: ['reports@example.com', 'example.com'],
      recipients: ['sec@example.com', 'ciso@example.org', 'example.org'],
    });
  });

  // review deployed-path L2: SES authorizes against the sender address (or its domain) where that
  // is verified too, and in the sandbox against a recipient's domain where that is what is verified.
  it('grants a named domain with the sender address and its domain, a named address alone', () => {
    expect(planSesIdentities({ ...base, sesIdentity: 'example.com' }).sending).toEqual([
      'example.com',
      'reports@example.com',
    ]);
    expect(
      planSesIdentities({ ...base, sender: 'reports@mail.example.com', sesIdentity: 'example.com' }).sending,
    ).toEqual(['example.com', 'reports@mail.example.com', 'mail.example.com']);
    expect(planSesIdentities({ ...base, sesIdentity: 'Reports@example.com' }).sending).toEqual([
      'Reports@example.com',
    ]);
  });

  it('creates the named identity, or the sender address, and grants it first', () => {
    expect(planSesIdentities({ ...base, sesIdentity: 'example.com', createSesIdentity: true })).toMatchObject(
      {
        sending: ['example.com', 'reports@example.com'],
        create: { kind: 'domain', name: 'example.com' },
      },
    );
    expect(planSesIdentities({ ...base, createSesIdentity: true })).toMatchObject({
      sending: ['reports@example.com'],
      create: { kind: 'email', name: 'reports@example.com' },
    });
    expect(planSesIdentities(base).create).toBeUndefined();
  });
});
