import { matchesIfNoneMatch, weakEtag } from '../../src/modules/users/users.etag';

describe('users ETag', () => {
  const etag = weakEtag('{"a":1}');

  it('is weak, and the same for the same body', () => {
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(weakEtag('{"a":1}')).toBe(etag);
  });

  it('differs when the body differs', () => {
    expect(weakEtag('{"a":2}')).not.toBe(etag);
  });

  it.each([
    ['the same tag', true, () => etag],
    ['its strong form (weak comparison)', true, () => etag.slice(2)],
    ['a list holding it', true, () => `W/"nope", ${etag}`],
    ['*', true, () => '*'],
    ['another tag', false, () => 'W/"nope"'],
    ['no header', false, () => undefined],
    ['an empty header', false, () => ''],
  ])('If-None-Match with %s matches: %s', (_case, expected, header) => {
    expect(matchesIfNoneMatch(header(), etag)).toBe(expected);
  });
});
