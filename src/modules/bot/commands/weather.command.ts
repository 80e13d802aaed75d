import type { UserProfile } from '../../users';
import { PLACE_QUERY_MAX_LENGTH, type Place, type WeatherService } from '../../weather';
import { defineCommand } from '../bot.registry';
import { hasCode, matchWords } from '../../../kernel';
import { placeNotFound, placeTooLong } from '../bot.replies';
import type { Command } from '../bot.types';
import { formatWeather, placeLabel, unitsFrom } from './weather.format';

type WeatherArgs = { kind: 'saved' } | { kind: 'place'; place: string } | { kind: 'usage' };

export const NO_SAVED_LOCATION =
  "You haven't saved a location yet. Say `location set <place>` (e.g. `location set Paris`), or ask for `weather in <place>`.";

export const WEATHER_USAGE = 'Which place? Say `weather in <place>`, or just `weather` for your saved location.';

/** "weather", "weather <place>", "weather in <place>"; "weather inverness" is Inverness. */
export function parseWeather(text: string): WeatherArgs | null {
  const rest = matchWords(text, 'weather');
  if (rest === null) return null;
  if (rest === '') return { kind: 'saved' };
  const afterIn = matchWords(rest, 'in');
  if (afterIn === null) return { kind: 'place', place: rest };
  return afterIn === '' ? { kind: 'usage' } : { kind: 'place', place: afterIn };
}

/** What `weather` answers a member about their saved location, in their units. */
export async function savedLocationWeather(profile: UserProfile, weather: WeatherService): Promise<string> {
  const saved = profile.location;
  if (!saved) return NO_SAVED_LOCATION;
  const place: Place = { ...saved, country: null, admin1: null };
  return formatWeather(saved.name, await weather.current(place), unitsFrom(profile.settings));
}

export function createWeatherCommand({ weather }: { weather: WeatherService }): Command<WeatherArgs> {
  return defineCommand({
    name: 'weather',
    usage: 'weather [in] [<place>]',
    description: 'current conditions for a place, or for your saved location',
    match: parseWeather,
    async handle(args, { profile }) {
      if (args.kind === 'usage') return WEATHER_USAGE;
      if (args.kind === 'saved') return savedLocationWeather(profile, weather);
      const units = unitsFrom(profile.settings);
      // Checked here, because the weather module's own refusal is worded for API callers.
      if (args.place.length > PLACE_QUERY_MAX_LENGTH) return placeTooLong(PLACE_QUERY_MAX_LENGTH);
      try {
        const current = await weather.currentFor(args.place);
        return formatWeather(placeLabel(current.place), current, units);
      } catch (err) {
        if (hasCode(err, 'WEATHER.PLACE_NOT_FOUND')) return placeNotFound(args.place);
        throw err;
      }
    },
  });
}
