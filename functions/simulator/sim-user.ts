import type { SimNetwork } from './geo-networks.ts';
import type { EntryUser } from './sim-event.ts';

export type UserRole = 'Admin' | 'Editor' | 'Participant';

export interface SimUser extends EntryUser {
  role: UserRole;
  /** Home IANA zone: the user's working hours are local to it. */
  timeZone: string;
  /** Home country (ISO 3166-1 alpha-2), the zone's. */
  country: string;
  /** Office IPv4 network, `a.b.c.0/24`, of a fixed-line provider of the home country. */
  network: string;
  /** The office network's owner. */
  officeNetwork: SimNetwork;
  /** The phone's carrier (home country) when the user signs in from a phone; its /24 changes often. */
  mobileNetwork: SimNetwork | null;
  /** IPv6 network of the phone, `xxxx:xxxx:xxxx::/48` in the carrier's block; null if none. */
  ipv6Network: string | null;
  /** A VPN exit in the home country the user signs in through on some days; null if none. */
  vpnNetwork: SimNetwork | null;
  /** Usual start of the working day, minutes after local midnight. */
  workStartMinute: number;
  /** Usual length of the working day in minutes. */
  workMinutes: number;
  /** Relative activity (1 = average). */
  activity: number;
  usesMobile: boolean;
  desktopBrowser: string;
  mobileBrowser: string;
}
