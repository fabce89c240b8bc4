/**
 * Zone names Athena's engine may not know, each with one it does that has had the same rules since
 * the date given. Athena lists its zones ("Use supported time zones" in its guide) from an older
 * time zone database than Node's: the list has Europe/Kiev and Pacific/Enderbury but not their new
 * names, which `canonicalTimeZone` writes, nor the two zones created since. A name Athena does not
 * know fails the whole query, so the weekly report would fail every week for such a deployment.
 * Core's, pure data: the Athena adapter sends these names, and the alert message gives them as
 * the values its saved queries take in the Athena console.
 */
const ATHENA_SPELLINGS: Readonly<Record<string, string>> = {
  // Renamed (tzdata 2022b, 2021b, 2020a): the same zone under its old name, which every engine
  // version keeps as a link.
  'Europe/Kyiv': 'Europe/Kiev',
  'Pacific/Kanton': 'Pacific/Enderbury',
  'America/Nuuk': 'America/Godthab',
  // New zones: the same offsets and daylight saving time as these since 2022-11-30 and 2025-03-20.
  'America/Ciudad_Juarez': 'America/Denver',
  'America/Coyhaique': 'America/Punta_Arenas',
};

/** `zone` as Athena's SQL knows it. */
export function athenaTimeZone(zone: string): string {
  return ATHENA_SPELLINGS[zone] ?? zone;
}
