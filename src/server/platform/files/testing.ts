/**
 * Small but real sample files for tests (each is recognised by its content, like a real upload),
 * and an in-process clamd that speaks the INSTREAM protocol.
 */
import net from 'node:net';
import zlib from 'node:zlib';
import { EICAR } from './virus-scan';

export function samplePdf(text = 'Đơn đề nghị'): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% ${text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
}

/** A valid 1×1 PNG. */
export function samplePng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const idat = zlib.deflateSync(Buffer.from([0, 0xff, 0, 0]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function sampleJpeg(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'latin1'),
    Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]),
  ]);
}

export function sampleWebp(): Buffer {
  const vp8 = Buffer.from('VP8L\x05\x00\x00\x00\x2f\x00\x00\x00\x00', 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32LE(4 + vp8.length);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), size, Buffer.from('WEBP', 'latin1'), vp8]);
}

/** A ZIP archive with stored (uncompressed) entries, in the given order. */
export function zipOf(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text, 'utf8');
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const contentTypes = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Override PartName="/main.xml" ContentType="${main}"/></Types>`;

export function sampleDocx(): Buffer {
  return zipOf({
    '[Content_Types].xml': contentTypes('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'),
    'word/document.xml': '<w:document/>',
  });
}

export function sampleXlsx(): Buffer {
  return zipOf({
    '[Content_Types].xml': contentTypes('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'),
    'xl/workbook.xml': '<workbook/>',
  });
}

export function sampleOdt(): Buffer {
  return zipOf({ mimetype: 'application/vnd.oasis.opendocument.text', 'content.xml': '<office:document-content/>' });
}

export function sampleXml(): Buffer {
  return Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<edXML><Header><Subject>Công văn</Subject></Header></edXML>\n');
}

/** A Windows executable header: must never be accepted whatever it is called. */
export function sampleExe(): Buffer {
  const b = Buffer.alloc(128);
  b.write('MZ', 0, 'latin1');
  return b;
}

export function eicarBytes(): Buffer {
  return Buffer.from(EICAR, 'latin1');
}

export interface FakeClamd {
  address: string;
  /** Streams received so far (reassembled from their chunks). */
  streams: Buffer[];
  close(): Promise<void>;
}

/**
 * A small clamd: answers `zPING`, and `zINSTREAM` with `stream: Eicar-Test-Signature FOUND` when the
 * reassembled stream contains the EICAR string, `stream: OK` otherwise, and
 * `INSTREAM size limit exceeded. ERROR` past `maxStream` bytes (like clamd's StreamMaxLength).
 */
export async function startFakeClamd(opts: { maxStream?: number } = {}): Promise<FakeClamd> {
  const streams: Buffer[] = [];
  const maxStream = opts.maxStream ?? 25 * 1024 * 1024;
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    let command: string | null = null;
    const parts: Buffer[] = [];
    let total = 0;
    const reply = (text: string) => socket.end(`${text}\0`);
    socket.on('error', () => {});
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (command === null) {
        const nul = buf.indexOf(0);
        if (nul < 0) return;
        command = buf.subarray(0, nul).toString('latin1');
        buf = buf.subarray(nul + 1);
        if (command === 'zPING') return reply('PONG');
        if (command !== 'zINSTREAM') return reply('UNKNOWN COMMAND');
      }
      while (buf.length >= 4) {
        const len = buf.readUInt32BE(0);
        if (len === 0) {
          const stream = Buffer.concat(parts);
          streams.push(stream);
          return reply(stream.includes(EICAR) ? 'stream: Eicar-Test-Signature FOUND' : 'stream: OK');
        }
        if (buf.length < 4 + len) return;
        parts.push(buf.subarray(4, 4 + len));
        total += len;
        buf = buf.subarray(4 + len);
        if (total > maxStream) return reply('INSTREAM size limit exceeded. ERROR');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    streams,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
