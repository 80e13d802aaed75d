/** The users module's plain types: what callers see, never TypeORM entities. */

export interface UserRef {
  teamId: string;
  userId: string;
}

export interface UserLocation {
  name: string;
  latitude: number;
  longitude: number;
  /** IANA zone, e.g. Europe/Paris. */
  timezone: string;
}

export interface UserProfile extends UserRef {
  displayName: string | null;
  location: UserLocation | null;
  settings: Record<string, string>;
  isAdmin: boolean;
  /** ISO 8601 */
  createdAt: string;
  updatedAt: string;
}

export interface UserPage {
  items: UserProfile[];
  /** Opaque; pass it back to get the next page. Null on the last page. */
  nextCursor: string | null;
}

/**
 * The users module's interface (the book's dataservice). Implemented in-process and by an
 * HTTP client of the extracted service; both pass one conformance suite.
 * Errors: USERS.NOT_FOUND (404), USERS.UNKNOWN_SETTING (400), USERS.INVALID_SETTING (400),
 * HTTP.VALIDATION (400).
 */
export interface UsersService {
  getOrCreate(ref: UserRef, init?: { displayName?: string }): Promise<UserProfile>;
  /** Throws USERS.NOT_FOUND. */
  get(ref: UserRef): Promise<UserProfile>;
  setLocation(ref: UserRef, location: UserLocation): Promise<UserProfile>;
  /** Removes the saved location; returns whether there was one. */
  unsetLocation(ref: UserRef): Promise<boolean>;
  getSetting(ref: UserRef, key: string): Promise<string | null>;
  /** Validates the key and value; returns the profile after the change. */
  setSetting(ref: UserRef, key: string, value: string): Promise<UserProfile>;
  /** Returns whether the key was set. */
  unsetSetting(ref: UserRef, key: string): Promise<boolean>;
  listSettings(ref: UserRef): Promise<Record<string, string>>;
  /** A page of profiles, oldest first; `teamId` and `q` (display name or user id contains it, any case) narrow it. */
  list(page?: { limit?: number; cursor?: string | null; teamId?: string; q?: string }): Promise<UserPage>;
  /** Deletes the member's profile (location and settings with it); returns whether there was one. */
  forget(ref: UserRef): Promise<boolean>;
}
