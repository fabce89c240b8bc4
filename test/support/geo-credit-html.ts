import { GEO_ATTRIBUTION, GEO_MODIFICATIONS } from '../../functions/core/geo/country-names.ts';
import { esc } from '../../functions/core/mail/html-escape.ts';

/**
 * The geo data's attribution as the HTML parts give it, written out: each source a link to its
 * address, as their licences ask (review R-GEO L3), the addresses in the text part only.
 */
export const ATTRIBUTION_HTML = `IP geolocation by <a href="https://db-ip.com">DB-IP</a> and IP to ASN data by DB-IP, <a href="https://www.routeviews.org">RouteViews</a> and <a href="https://www.nro.net">NRO</a>, via ip-location-db, licensed under <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a> (${esc(GEO_MODIFICATIONS)}).`;

/** The links of {@link ATTRIBUTION_HTML}: the only ones a mail may hold. */
export const ATTRIBUTION_HREFS = [
  'https://db-ip.com',
  'https://www.routeviews.org',
  'https://www.nro.net',
  'https://creativecommons.org/licenses/by/4.0/',
];

/** A credit of the text part (`Places from geo data … ${GEO_ATTRIBUTION}`) as the HTML part gives it. */
export const creditHtml = (text: string): string => esc(text).replace(esc(GEO_ATTRIBUTION), ATTRIBUTION_HTML);
