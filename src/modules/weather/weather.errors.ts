import { AppError } from '../../platform/errors';

/** The place a caller named matches nothing the geocoder knows. */
export class PlaceNotFoundError extends AppError {
  constructor(readonly place: string) {
    super('WEATHER.PLACE_NOT_FOUND', `No place called "${place}" was found.`, 404);
  }
}

/** The one message users see for any provider failure: down, slow, or answering nonsense. */
export const WEATHER_UNAVAILABLE_MESSAGE = 'The weather service cannot be reached right now';

/** The provider (or the remote weather service) is down, timed out or answered nonsense. */
export class WeatherUnavailableError extends AppError {
  constructor(cause?: unknown) {
    super('WEATHER.UNAVAILABLE', WEATHER_UNAVAILABLE_MESSAGE, 503, { cause });
  }
}
