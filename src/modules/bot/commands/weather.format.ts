import type { CurrentWeather, Place } from '../../weather';

/** The member's `units` setting: anything but "imperial" means metric, the default. */
export type Units = 'metric' | 'imperial';

export function unitsFrom(settings: Readonly<Record<string, string>>): Units {
  return settings.units?.trim().toLowerCase() === 'imperial' ? 'imperial' : 'metric';
}

/** "Paris, France": the name members recognise, also what `location set` saves. */
export function placeLabel(place: Pick<Place, 'name' | 'country'>): string {
  return place.country ? `${place.name}, ${place.country}` : place.name;
}

/** One decimal, and never "-0.0". */
function oneDecimal(value: number): string {
  const text = value.toFixed(1);
  return text === '-0.0' ? '0.0' : text;
}

function temperature(celsius: number, units: Units): string {
  return units === 'imperial' ? `${oneDecimal((celsius * 9) / 5 + 32)}°F` : `${oneDecimal(celsius)}°C`;
}

function windSpeed(kmh: number, units: Units): string {
  return units === 'imperial' ? `${Math.round(kmh / 1.609344)} mph` : `${Math.round(kmh)} km/h`;
}

/** "*Paris, France*: overcast, 9.4°C (feels like 6.8°C), humidity 81%, wind 14 km/h" */
export function formatWeather(label: string, weather: CurrentWeather, units: Units): string {
  return (
    `*${label}*: ${weather.description}, ${temperature(weather.temperatureC, units)} ` +
    `(feels like ${temperature(weather.apparentTemperatureC, units)}), ` +
    `humidity ${Math.round(weather.humidityPct)}%, wind ${windSpeed(weather.windSpeedKmh, units)}`
  );
}
