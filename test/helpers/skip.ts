/**
 * Vitest's `skip` option is a boolean, where node's test runner took the reason itself and printed
 * it. `skipWhen(reason)` gives Vitest the boolean and prints the reason, so a test or suite skipped
 * because something is missing on this machine still says what and how to get it:
 *
 *   describe('scribe policy', skipWhen(cliBuilt ? false : CLI_MISSING), () => { ... });
 *   test('...', { ...skipWhen(skip), timeout: 90_000 }, async () => { ... });
 */
export function skipWhen(reason: string | boolean | null | undefined): { skip: boolean } {
  if (reason) console.log(`skipped: ${typeof reason === 'string' ? reason : 'condition not met'}`);
  return { skip: Boolean(reason) };
}
