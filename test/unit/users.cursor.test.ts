import { decodeCursor, encodeCursor } from '../../src/modules/users/users.cursor';

const position = { createdAt: new Date('2025-03-04T05:06:07.089Z'), id: '0b9d5a3e-1f2c-4c3d-9e8f-7a6b5c4d3e2f' };
const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('users paging cursor', () => {
  it('round-trips the position exactly, to the millisecond', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('is URL-safe, so it needs no escaping in a query string', () => {
    expect(encodeCursor(position)).toMatch(/^[\w-]+$/);
  });

  it.each([
    ['not base64 JSON', 'garbage!'],
    ['an object', b64('{"createdAt":"2025-01-01T00:00:00Z","id":"x"}')],
    ['three elements', b64('["2025-01-01T00:00:00Z","0b9d5a3e-1f2c-4c3d-9e8f-7a6b5c4d3e2f",1]')],
    ['a date that is not one', b64('["yesterday","0b9d5a3e-1f2c-4c3d-9e8f-7a6b5c4d3e2f"]')],
    ['an id that is not a uuid', b64('["2025-01-01T00:00:00Z","1 OR 1=1"]')],
  ])('refuses %s with HTTP.VALIDATION', (_case, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: 'HTTP.VALIDATION', status: 400 }));
  });
});
