import { describeWeatherCode } from '../../src/modules/weather/weather.codes';

describe('describeWeatherCode: WMO codes in words', () => {
  it.each([
    [0, 'clear sky'],
    [1, 'mainly clear'],
    [2, 'partly cloudy'],
    [3, 'overcast'],
    [45, 'fog'],
    [48, 'fog'],
    [51, 'drizzle'],
    [55, 'drizzle'],
    [56, 'drizzle'],
    [57, 'drizzle'],
    [61, 'rain'],
    [65, 'rain'],
    [67, 'rain'],
    [71, 'snow'],
    [75, 'snow'],
    [77, 'snow'],
    [80, 'showers'],
    [82, 'showers'],
    [85, 'snow showers'],
    [86, 'snow showers'],
    [95, 'thunderstorm'],
    [96, 'thunderstorm'],
    [99, 'thunderstorm'],
  ])('code %i reads "%s"', (code, words) => {
    expect(describeWeatherCode(code)).toBe(words);
  });

  it.each([4, 44, 50, 68, 79, 83, 87, 100, -1])('code %i, outside the table, reads "unknown conditions" instead of a guess', (code) => {
    expect(describeWeatherCode(code)).toBe('unknown conditions');
  });
});
