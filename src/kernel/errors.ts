/** The string code of an error, whichever module threw it: codes, not classes, cross module and wire boundaries. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function hasCode(err: unknown, code: string): boolean {
  return errorCode(err) === code;
}
