import { createFakeWeatherService } from '../../src/modules/weather';

/** The fake's own controls; its WeatherService behaviour is proven by the conformance suite. */
describe('fake weather service', () => {
  it('knows Paris and London out of the box', async () => {
    const weather = createFakeWeatherService();
    await expect(weather.geocode('paris')).resolves.toMatchObject({ name: 'Paris', timezone: 'Europe/Paris' });
    await expect(weather.geocode('London')).resolves.toMatchObject({ name: 'London', country: 'United Kingdom' });
  });

  it('when set unavailable, then every call fails with WEATHER.UNAVAILABLE until set back', async () => {
    const weather = createFakeWeatherService();
    weather.setUnavailable(true);
    await expect(weather.currentFor('Paris')).rejects.toMatchObject({ code: 'WEATHER.UNAVAILABLE', status: 503 });
    weather.setUnavailable(false);
    await expect(weather.currentFor('Paris')).resolves.toMatchObject({ place: { name: 'Paris' } });
  });

  it('when a place is added with its weather, then it is found and reports that weather in words', async () => {
    const weather = createFakeWeatherService({ places: [] });
    weather.setPlace({ name: 'Reykjavík', country: 'Iceland', admin1: null, latitude: 64.13548, longitude: -21.89541, timezone: 'Atlantic/Reykjavik', weather: { weatherCode: 95, temperatureC: -3 } });
    await expect(weather.currentFor('reykjavík')).resolves.toMatchObject({ temperatureC: -3, description: 'thunderstorm' });
  });

  it('when the place list is empty, then every name is PLACE_NOT_FOUND', async () => {
    await expect(createFakeWeatherService({ places: [] }).geocode('Paris')).rejects.toMatchObject({ code: 'WEATHER.PLACE_NOT_FOUND', status: 404 });
  });
});
