/**
 * WMO weather interpretation codes (the `weather_code` Open-Meteo reports) in words.
 * Ranges follow Open-Meteo's documentation; intensities are folded in where the
 * difference does not matter to someone deciding whether to take an umbrella.
 */
const WORDS: ReadonlyArray<readonly [from: number, to: number, words: string]> = [
  [0, 0, 'clear sky'],
  [1, 1, 'mainly clear'],
  [2, 2, 'partly cloudy'],
  [3, 3, 'overcast'],
  [45, 48, 'fog'],
  [51, 57, 'drizzle'],
  [61, 67, 'rain'],
  [71, 77, 'snow'],
  [80, 82, 'showers'],
  [85, 86, 'snow showers'],
  [95, 99, 'thunderstorm'],
];

/** Words for a WMO code; codes outside the table say so rather than guess. */
export function describeWeatherCode(code: number): string {
  const row = WORDS.find(([from, to]) => code >= from && code <= to);
  return row ? row[2] : 'unknown conditions';
}
