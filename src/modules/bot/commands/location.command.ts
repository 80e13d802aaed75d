import type { UsersService } from '../../users';
import { PLACE_QUERY_MAX_LENGTH, type Place, type WeatherService } from '../../weather';
import { defineCommand } from '../bot.registry';
import { hasCode, matchWords } from '../../../kernel';
import { placeNotFound, placeTooLong } from '../bot.replies';
import type { Command } from '../bot.types';
import { placeLabel } from './weather.format';

type LocationArgs = { kind: 'show' } | { kind: 'set'; place: string } | { kind: 'usage' };

export const LOCATION_USAGE =
  'Say `location` to see your saved location, or `location set <place>` to save one (e.g. `location set Paris`).';

export function parseLocation(text: string): LocationArgs | null {
  const rest = matchWords(text, 'location');
  if (rest === null) return null;
  if (rest === '') return { kind: 'show' };
  const place = matchWords(rest, 'set');
  return place ? { kind: 'set', place } : { kind: 'usage' };
}

export function createLocationCommand({ users, weather }: { users: UsersService; weather: WeatherService }): Command<LocationArgs> {
  return defineCommand({
    name: 'location',
    usage: 'location [set <place>]',
    description: 'show or save your default location, used by `weather`',
    match: parseLocation,
    async handle(args, { user, profile }) {
      if (args.kind === 'usage') return LOCATION_USAGE;
      if (args.kind === 'show') {
        const saved = profile.location;
        return saved
          ? `Your location is *${saved.name}* (${saved.timezone}).`
          : "You haven't saved a location yet. Say `location set <place>`, e.g. `location set Paris`.";
      }
      // Checked here, because the weather module's own refusal is worded for API callers.
      if (args.place.length > PLACE_QUERY_MAX_LENGTH) return placeTooLong(PLACE_QUERY_MAX_LENGTH);
      let place: Place;
      try {
        place = await weather.geocode(args.place);
      } catch (err) {
        if (hasCode(err, 'WEATHER.PLACE_NOT_FOUND')) return placeNotFound(args.place);
        throw err;
      }
      const name = placeLabel(place);
      await users.setLocation(user, { name, latitude: place.latitude, longitude: place.longitude, timezone: place.timezone });
      return `Saved: your location is now *${name}* (${place.timezone}).`;
    },
  });
}
