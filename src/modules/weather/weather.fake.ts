import { describeWeatherCode } from './weather.codes';
import { PlaceNotFoundError, WeatherUnavailableError } from './weather.errors';
import { forecastKey, normaliseQuery } from './weather.keys';
import type { Reading } from './weather.schemas';
import type { CurrentWeather, Place, WeatherService } from './weather.types';
import { validPlace, validPlaceQuery } from './weather.validation';

/** A place the fake knows, with the weather it reports there (defaults fill what is left out). */
export interface FakePlace extends Place {
  weather?: Partial<Reading>;
}

/** For other modules' unit tests: no network, no cache, the module's validation and errors. */
export interface FakeWeatherService extends WeatherService {
  setPlace(place: FakePlace): void;
  /** While down, every call fails with WEATHER.UNAVAILABLE, as when Open-Meteo is unreachable. */
  setUnavailable(down: boolean): void;
}

export const DEFAULT_FAKE_READING: Reading = {
  observedAt: '2026-11-20T14:15',
  temperatureC: 12,
  apparentTemperatureC: 10.5,
  humidityPct: 70,
  windSpeedKmh: 10,
  weatherCode: 2,
};

const DEFAULT_FAKE_PLACES: FakePlace[] = [
  { name: 'Paris', country: 'France', admin1: 'Île-de-France', latitude: 48.85341, longitude: 2.3488, timezone: 'Europe/Paris' },
  { name: 'London', country: 'United Kingdom', admin1: 'England', latitude: 51.50853, longitude: -0.12574, timezone: 'Europe/London' },
];

export function createFakeWeatherService({ places = DEFAULT_FAKE_PLACES }: { places?: FakePlace[] } = {}): FakeWeatherService {
  const byName = new Map<string, FakePlace>();
  const byPoint = new Map<string, FakePlace>();
  let down = false;

  const setPlace = (place: FakePlace) => {
    byName.set(normaliseQuery(place.name), place);
    byPoint.set(forecastKey(place.latitude, place.longitude), place);
  };
  places.forEach(setPlace);

  const failIfDown = () => {
    if (down) throw new WeatherUnavailableError(new Error('fake weather service set unavailable'));
  };

  async function geocode(query: string): Promise<Place> {
    const clean = validPlaceQuery(query);
    failIfDown();
    const found = byName.get(normaliseQuery(clean));
    if (!found) throw new PlaceNotFoundError(clean);
    const { weather: _weather, ...place } = found;
    return place;
  }

  async function current(input: Place): Promise<CurrentWeather> {
    const place = validPlace(input);
    failIfDown();
    const reading = { ...DEFAULT_FAKE_READING, ...byPoint.get(forecastKey(place.latitude, place.longitude))?.weather };
    return { place, ...reading, description: describeWeatherCode(reading.weatherCode) };
  }

  return {
    geocode,
    current,
    currentFor: async (query) => current(await geocode(query)),
    setPlace,
    setUnavailable: (value) => {
      down = value;
    },
  };
}
