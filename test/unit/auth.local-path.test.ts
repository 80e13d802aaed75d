import { localPath } from '../../src/modules/auth/auth.http';

/** Where a sign-in may land: only a path of this site (no open redirect through ?next=). */
describe('localPath', () => {
  it.each(['/me', '/admin/modules?view=all', '/a/b#c'])('keeps %s', (path) => {
    expect(localPath(path)).toBe(path);
  });

  it.each(['//evil.example', '/\\evil.example', 'https://evil.example/', 'me', '', '/a b', '/\u0000x', `/${'a'.repeat(600)}`, 42, undefined, ['/me']])(
    'refuses %p',
    (value) => {
      expect(localPath(value)).toBeUndefined();
    },
  );
});
