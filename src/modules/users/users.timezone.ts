/**
 * A time zone as Jeeves stores it, or undefined when Intl does not know it. Intl is the
 * judge because it is what formats times later. Only the letter case is corrected
 * ("europe/paris" → "Europe/Paris"): Intl would also turn "Asia/Kolkata" into its legacy
 * alias "Asia/Calcutta", which is not what the member (or the geocoder) said.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  const trimmed = zone.trim();
  // Intl also accepts offsets such as "+01:00"; a setting or a place wants a named zone.
  if (!/^[A-Za-z][\w+-]*(\/[\w+-]+)*$/.test(trimmed)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  return resolved.toLowerCase() === trimmed.toLowerCase() ? resolved : trimmed;
}
