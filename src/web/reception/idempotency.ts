/**
 * One Idempotency-Key per counter form, so a double click or a retry after a lost answer never
 * registers the dossier twice. The server stores the answer per key and refuses the key with another
 * body (422 idempotency_key_reused), so the key changes only when it can no longer mean "the same
 * registration": after a definite refusal (4xx other than 409), or when the officer sends different
 * content after an attempt whose fate is unknown.
 */

export interface IdempotencyState {
  key: string;
  /** Body last sent with this key; null = the key has not been used. */
  sentBody: string | null;
}

export const freshKey = (newKey: () => string): IdempotencyState => ({ key: newKey(), sentBody: null });

/** The key to send `body` with. */
export function keyForSend(state: IdempotencyState, body: string, newKey: () => string): IdempotencyState {
  if (state.sentBody === null || state.sentBody === body) return { key: state.key, sentBody: body };
  return { key: newKey(), sentBody: body };
}

/**
 * After a failed send: a definite answer (400–499 except 409 "still in progress / conflict") used the key
 * up; a network failure (status 0), 409 or 5xx leaves it for the retry (the server forgets keys of 5xx and 409).
 */
export function afterFailure(state: IdempotencyState, status: number, newKey: () => string): IdempotencyState {
  return status >= 400 && status < 500 && status !== 409 ? freshKey(newKey) : state;
}
