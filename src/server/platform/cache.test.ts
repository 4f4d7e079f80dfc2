import { afterEach, describe, expect, it, vi } from 'vitest';
import { TtlCache } from './cache';

afterEach(() => vi.useRealTimers());

describe('TtlCache', () => {
  it('keeps a value until it expires, null included, and loads once meanwhile', async () => {
    vi.useFakeTimers();
    const cache = new TtlCache<string, string | null>(1000);
    const load = vi.fn(async () => null);
    expect(await cache.through('a', load)).toBeNull();
    expect(await cache.through('a', load)).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(cache.get('a')).toBeUndefined();
    await cache.through('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('forgets on delete, and drops the oldest entry when full', () => {
    const cache = new TtlCache<string, number>(60_000, 2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 3); // set again: now the newest
    cache.set('c', 4);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([3, undefined, 4]);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });
});
