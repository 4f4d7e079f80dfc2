import { Writable } from 'node:stream';
import Fastify from 'fastify';
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

  it('is not made by Fastify for a request that writes nothing, and carries the request id when one does', async () => {
    const { logger, lines } = captured();
    const child = vi.spyOn(logger, 'child');
    const app = Fastify({
      loggerInstance: logger,
      childLoggerFactory: (parent, bindings, opts) => lazyChildLogger(parent as pino.Logger, bindings, opts),
      genReqId: () => 'req-4',
    });
    app.get('/quiet', async (req) => {
      req.log.info('không ghi ở mức warn');
      return { ok: true };
    });
    app.get('/loud', async (req) => {
      req.log.warn('có ghi');
      return { ok: true };
    });
    await app.ready();
    child.mockClear();
    expect((await app.inject('/quiet')).statusCode).toBe(200);
    expect(child).not.toHaveBeenCalled();
    expect((await app.inject('/loud')).statusCode).toBe(200);
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toMatchObject([{ level: 40, reqId: 'req-4', msg: 'có ghi' }]);
    await app.close();
  });
});
