/**
 * How long a public tracking answer may be kept, by shared caches (the route's `cache-control: max-age`) and by
 * the server itself (`tracked` in the service): the public status changes a few times in a dossier's life, while
 * its page is refreshed, its QR scanned and its code polled by partner systems many times a day.
 */
export const TRACKING_MAX_AGE_SECONDS = 30;

/**
 * Guessing guard for the tracking lookup. Four digits are only 10,000 combinations: besides the
 * per-address rate limit, each dossier code accepts a limited number of wrong answers per hour, so
 * spreading guesses over many addresses does not help either. Kept in the process's memory: with
 * several server processes each keeps its own count (the limit multiplies by their number).
 */
const WINDOW_MS = 60 * 60 * 1000;

export function lookupGuard(maxFailures: number, now: () => number = Date.now) {
  const failures = new Map<string, number[]>();

  function recent(code: string): number[] {
    const since = now() - WINDOW_MS;
    const kept = (failures.get(code) ?? []).filter((t) => t > since);
    if (kept.length) failures.set(code, kept);
    else failures.delete(code);
    return kept;
  }

  return {
    blocked: (code: string) => recent(code).length >= maxFailures,
    failed(code: string) {
      failures.set(code, [...recent(code), now()]);
      // Bound the memory an attacker can make us use with made-up codes.
      if (failures.size > 100_000) failures.delete(failures.keys().next().value as string);
    },
  };
}
