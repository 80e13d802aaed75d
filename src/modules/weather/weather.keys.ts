/**
 * Cache keys. Two spellings of one place ("  New   york", "new york") share a geocoding
 * entry; forecasts are shared within about a kilometre, finer than the provider's grid.
 * The version segment lets a change of cached shape ignore old entries instead of misreading them.
 */

/** What is sent to the geocoder: trimmed, inner spaces collapsed, NFC (so "Zu\u0308rich" is "Zürich"). */
export function cleanQuery(query: string): string {
  return query.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/** cleanQuery, lowercased: the geocoding cache key. */
export function normaliseQuery(query: string): string {
  return cleanQuery(query).toLowerCase();
}

export function roundCoordinate(value: number): number {
  // `+ 0` turns -0 into 0 so "-0.00" and "0.00" are one key.
  return Math.round(value * 100) / 100 + 0;
}

export function geocodeKey(query: string): string {
  return `weather:v1:geo:${normaliseQuery(query)}`;
}

export function forecastKey(latitude: number, longitude: number): string {
  return `weather:v1:forecast:${roundCoordinate(latitude).toFixed(2)},${roundCoordinate(longitude).toFixed(2)}`;
}
