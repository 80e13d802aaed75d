/** The weather module's plain types. */

export interface Place {
  name: string;
  country: string | null;
  /** Region, e.g. Île-de-France. */
  admin1: string | null;
  latitude: number;
  longitude: number;
  timezone: string;
}

export interface CurrentWeather {
  place: Place;
  /** Local observation time as the provider gives it, ISO 8601 without offset. */
  observedAt: string;
  temperatureC: number;
  apparentTemperatureC: number;
  humidityPct: number;
  windSpeedKmh: number;
  /** WMO weather interpretation code. */
  weatherCode: number;
  /** Human words for weatherCode, e.g. "overcast". */
  description: string;
}

/**
 * The weather module's interface. Errors: WEATHER.PLACE_NOT_FOUND (404),
 * WEATHER.UNAVAILABLE (503: provider down, timed out or answered nonsense), HTTP.VALIDATION (400).
 */
export interface WeatherService {
  /** Best match for a free-text place name. */
  geocode(query: string): Promise<Place>;
  /** Current conditions at a known place. */
  current(place: Place): Promise<CurrentWeather>;
  /** geocode + current. */
  currentFor(query: string): Promise<CurrentWeather>;
}
