import { cleanQuery, forecastKey, geocodeKey, normaliseQuery, roundCoordinate } from '../../src/modules/weather/weather.keys';

describe('weather cache keys', () => {
  it.each([
    ['Paris', 'paris'],
    ['  PARIS  ', 'paris'],
    ['New \t  York', 'new york'],
    ['Zu\u0308rich', 'zürich'],
    ['SÃO PAULO', 'são paulo'],
  ])('normalises %j to %j', (query, expected) => {
    expect(normaliseQuery(query)).toBe(expected);
  });

  it('sends the geocoder the cleaned query with its case kept', () => {
    expect(cleanQuery('  São   Paulo ')).toBe('São Paulo');
  });

  it('gives one geocoding key to every spelling of one place, and different keys to different places', () => {
    expect(geocodeKey(' new  YORK')).toBe(geocodeKey('New York'));
    expect(geocodeKey('York')).not.toBe(geocodeKey('New York'));
  });

  it('rounds coordinates to 2 decimals for the forecast key', () => {
    expect(forecastKey(48.85341, 2.3488)).toBe('weather:v1:forecast:48.85,2.35');
    expect(forecastKey(48.8549, 2.3451)).toBe(forecastKey(48.85341, 2.3488));
    expect(forecastKey(48.856, 2.3488)).not.toBe(forecastKey(48.85341, 2.3488));
  });

  it('treats a coordinate that rounds to zero from below as zero, not -0', () => {
    expect(forecastKey(-0.001, -0.004)).toBe(forecastKey(0, 0));
    expect(Object.is(roundCoordinate(-0.001), 0)).toBe(true);
  });
});
