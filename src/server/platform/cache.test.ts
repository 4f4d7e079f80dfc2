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

  it('shares one load among callers that miss together; a delete meanwhile keeps its result out; failures are not kept', async () => {
    const cache = new TtlCache<string, number>(60_000);
    let release: (v: number) => void = () => {};
    const load = vi.fn(() => new Promise<number>((r) => (release = r)));
    const both = Promise.all([cache.through('a', load), cache.through('a', load)]);
    release(1);
    expect(await both).toEqual([1, 1]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(cache.get('a')).toBe(1);

    cache.delete('a');
    const stale = cache.through('a', load);
    cache.delete('a'); // the row changed while it was being read
    release(2);
    expect(await stale).toBe(2);
    expect(cache.get('a')).toBeUndefined();

    const failing = vi.fn(async () => {
      throw new Error('không đọc được');
    });
    const failures = [cache.through('b', failing), cache.through('b', failing)];
    await expect(failures[0]).rejects.toThrow('không đọc được');
    await expect(failures[1]).rejects.toThrow('không đọc được');
    expect(failing).toHaveBeenCalledTimes(1);
    expect(cache.get('b')).toBeUndefined();
    expect(await cache.through('b', async () => 3)).toBe(3);
  });
});
