import type { UserLocation, UserRef, UsersService } from '../../users';
import { PLACE_QUERY_MAX_LENGTH, type Place, type WeatherService } from '../../weather';
import { hasCode } from '../../../kernel';
import { placeLabel } from './weather.format';

/** What saving a place name came to: the saved location, or why nothing was saved. */
export type SaveLocationResult = { saved: UserLocation } | { refused: 'too-long'; maxLength: number } | { refused: 'not-found' };

/**
 * `location set <place>` and the member's page share this path: the place is geocoded by the
 * weather module and saved, under the label members recognise, through the users module.
 */
export async function saveLocation({ users, weather }: { users: UsersService; weather: WeatherService }, ref: UserRef, query: string): Promise<SaveLocationResult> {
  // Checked here, because the weather module's own refusal is worded for API callers.
  if (query.length > PLACE_QUERY_MAX_LENGTH) return { refused: 'too-long', maxLength: PLACE_QUERY_MAX_LENGTH };
  let place: Place;
  try {
    place = await weather.geocode(query);
  } catch (err) {
    if (hasCode(err, 'WEATHER.PLACE_NOT_FOUND')) return { refused: 'not-found' };
    throw err;
  }
  const saved: UserLocation = { name: placeLabel(place), latitude: place.latitude, longitude: place.longitude, timezone: place.timezone };
  await users.setLocation(ref, saved);
  return { saved };
}
