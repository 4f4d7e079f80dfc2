import { describe, expect, it } from 'vitest';
import { uuid } from '../api';
import { afterFailure, freshKey, keyForSend } from './idempotency';

describe('Idempotency-Key of the counter form', () => {
  let n = 0;
  const next = () => `key-${++n}`;

  it('a double click or a retry of the same content reuses the key', () => {
    const s0 = freshKey(next);
    const s1 = keyForSend(s0, '{"a":1}', next);
    const s2 = keyForSend(s1, '{"a":1}', next);
    expect(s1.key).toBe(s0.key);
    expect(s2.key).toBe(s0.key);
    // Network failure: the first attempt may have landed, so the retry keeps the key.
    expect(afterFailure(s2, 0, next).key).toBe(s0.key);
    expect(afterFailure(s2, 503, next).key).toBe(s0.key);
    expect(afterFailure(s2, 409, next).key).toBe(s0.key);
  });

  it('a definite refusal (422) or different content after an unknown outcome gets a new key', () => {
    const s = keyForSend(freshKey(next), '{"a":1}', next);
    const refused = afterFailure(s, 422, next);
    expect(refused.key).not.toBe(s.key);
    expect(refused.sentBody).toBeNull();
    expect(keyForSend(s, '{"a":2}', next).key).not.toBe(s.key);
  });

  it('makes RFC 4122 v4 UUIDs the server accepts as keys', () => {
    expect(uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
