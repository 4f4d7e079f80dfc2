import { createHash } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { eicarBytes, type FakeClamd, samplePdf, startFakeClamd } from './testing';
import { ClamdScanner, createVirusScanner, EICAR, parseAddress, parseClamdReply, ScannerUnavailableError } from './virus-scan';

describe('EICAR test string', () => {
  it('is the standard 68-byte test file', () => {
    expect(EICAR).toHaveLength(68);
    expect(createHash('md5').update(EICAR).digest('hex')).toBe('44d88612fea8a8f36de82e1278abb02f');
  });
});

describe('clamd replies and addresses', () => {
  it('reads OK, FOUND and ERROR answers', () => {
    expect(parseClamdReply('stream: OK\0')).toEqual({ clean: true });
    expect(parseClamdReply('stream: Eicar-Test-Signature FOUND\0')).toEqual({ clean: false, signature: 'Eicar-Test-Signature' });
    expect(parseClamdReply('stream: Win.Test.EICAR_HDB-1 FOUND\n')).toEqual({ clean: false, signature: 'Win.Test.EICAR_HDB-1' });
    expect(() => parseClamdReply('INSTREAM size limit exceeded. ERROR\0')).toThrow(ScannerUnavailableError);
    expect(() => parseClamdReply('')).toThrow(ScannerUnavailableError);
  });

  it('parses host:port, including IPv6 in brackets', () => {
    expect(parseAddress('127.0.0.1:3310')).toEqual({ host: '127.0.0.1', port: 3310 });
    expect(parseAddress('clamav.internal:3310')).toEqual({ host: 'clamav.internal', port: 3310 });
    expect(parseAddress('[::1]:3310')).toEqual({ host: '::1', port: 3310 });
    for (const bad of ['3310', 'host:', 'host:0', 'host:70000', '']) expect(() => parseAddress(bad)).toThrow(/host:port/);
  });

  it('is off unless CLAMD_ADDRESS is set', () => {
    expect(createVirusScanner(loadConfig({}))).toBeNull();
    const s = createVirusScanner(loadConfig({ CLAMD_ADDRESS: '10.0.0.5:3310' }));
    expect(s).toBeInstanceOf(ClamdScanner);
    expect(s).toMatchObject({ host: '10.0.0.5', port: 3310 });
  });
});

describe('ClamdScanner against an in-process clamd (INSTREAM protocol)', () => {
  let clamd: FakeClamd;
  beforeAll(async () => {
    clamd = await startFakeClamd({ maxStream: 1024 * 1024 });
  });
  afterAll(async () => clamd?.close());

  it('finds EICAR', async () => {
    const result = await new ClamdScanner(clamd.address).scan(eicarBytes());
    expect(result).toEqual({ clean: false, signature: 'Eicar-Test-Signature' });
  });

  it('passes a clean file, delivered intact', async () => {
    const pdf = samplePdf();
    expect(await new ClamdScanner(clamd.address).scan(pdf)).toEqual({ clean: true });
    expect(clamd.streams.at(-1)?.equals(pdf)).toBe(true);
  });

  it('sends large files in chunks and finds EICAR across a chunk boundary', async () => {
    const bytes = Buffer.concat([Buffer.alloc(1000, 0x20), eicarBytes(), Buffer.alloc(1000, 0x20)]);
    const result = await new ClamdScanner(clamd.address, { chunkSize: 1030 }).scan(bytes);
    expect(result).toEqual({ clean: false, signature: 'Eicar-Test-Signature' });
    expect(clamd.streams.at(-1)?.equals(bytes)).toBe(true);
  });

  it('scans an empty stream', async () => {
    expect(await new ClamdScanner(clamd.address).scan(Buffer.alloc(0))).toEqual({ clean: true });
  });

  it('reports clamd refusing an over-long stream as unavailable (never as clean)', async () => {
    await expect(new ClamdScanner(clamd.address).scan(Buffer.alloc(2 * 1024 * 1024))).rejects.toBeInstanceOf(ScannerUnavailableError);
  });

  it('answers PING', async () => {
    expect(await new ClamdScanner(clamd.address).ping()).toBe(true);
  });
});

describe('ClamdScanner when clamd is not there', () => {
  it('fails with ScannerUnavailableError on a closed port', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    await expect(new ClamdScanner(`127.0.0.1:${port}`).scan(samplePdf())).rejects.toBeInstanceOf(ScannerUnavailableError);
    expect(await new ClamdScanner(`127.0.0.1:${port}`).ping()).toBe(false);
  });

  it('times out on a server that never answers', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s.on('error', () => {})));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const scanner = new ClamdScanner(`127.0.0.1:${port}`, { timeoutMs: 200 });
      await expect(scanner.scan(samplePdf())).rejects.toThrow(/hết thời gian chờ/);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

// Real ClamAV: start one with `scripts/ci-clamd.sh` and pass its address in CLAMD_TEST_ADDRESS.
const realClamd = process.env.CLAMD_TEST_ADDRESS;
describe('ClamdScanner against a real clamd (CLAMD_TEST_ADDRESS)', () => {
  it.skipIf(!realClamd)('answers PING', async () => {
    expect(await new ClamdScanner(realClamd!).ping()).toBe(true);
  });

  it.skipIf(!realClamd)('finds EICAR', async () => {
    const result = await new ClamdScanner(realClamd!).scan(eicarBytes());
    expect(result.clean).toBe(false);
    if (!result.clean) expect(result.signature).toMatch(/eicar/i);
  });

  it.skipIf(!realClamd)('passes a clean file', async () => {
    expect(await new ClamdScanner(realClamd!).scan(samplePdf())).toEqual({ clean: true });
  });

  it.skipIf(!realClamd)('scans a multi-chunk stream', async () => {
    const bytes = Buffer.alloc(300 * 1024, 0x41);
    expect(await new ClamdScanner(realClamd!, { chunkSize: 64 * 1024 }).scan(bytes)).toEqual({ clean: true });
  });
});
