import type { UsersService } from '../../users';
import type { WeatherService } from '../../weather';
import { defineCommand } from '../bot.registry';
import { matchWords } from '../../../kernel';
import { placeNotFound, placeTooLong } from '../bot.replies';
import type { Command } from '../bot.types';
import { saveLocation } from './location.save';

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
      const result = await saveLocation({ users, weather }, user, args.place);
      if ('refused' in result) return result.refused === 'too-long' ? placeTooLong(result.maxLength) : placeNotFound(args.place);
      const { name, timezone } = result.saved;
      return `Saved: your location is now *${name}* (${timezone}).`;
    },
  });
}
