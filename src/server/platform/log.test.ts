import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { lazyChildLogger, redactPaths } from './log';

function captured() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const logger = pino({ level: 'warn', redact: { paths: redactPaths, censor: '[ẩn]' } }, stream);
  return { logger, lines };
}

describe('the request logger', () => {
  it('is made only when something is written at an enabled level', () => {
    const { logger, lines } = captured();
    const child = vi.spyOn(logger, 'child');
    const log = lazyChildLogger(logger, { reqId: 'req-1' });
    log.info('incoming request');
    log.debug('chi tiết');
    expect(child).not.toHaveBeenCalled();
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.isLevelEnabled('error')).toBe(true);
    expect(log.level).toBe('warn');
    log.warn({ user: { password: 'bí mật', name: 'An' } }, 'cảnh báo');
    log.error('lỗi');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toMatchObject([
      { level: 40, reqId: 'req-1', msg: 'cảnh báo', user: { password: '[ẩn]', name: 'An' } },
      { level: 50, reqId: 'req-1', msg: 'lỗi' },
    ]);
  });

  it('keeps a route level (silent) and makes children of its own', () => {
    const { logger, lines } = captured();
    const silent = lazyChildLogger(logger, { reqId: 'req-2' }, { level: 'silent' });
    silent.error('không ghi');
    expect(lines).toEqual([]);
    const log = lazyChildLogger(logger, { reqId: 'req-3' });
    log.child({ step: 'ký' }).warn('con');
    expect(lines).toMatchObject([{ reqId: 'req-3', step: 'ký', msg: 'con' }]);
  });
});
