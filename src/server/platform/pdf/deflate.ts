/**
 * pdf-lib compresses every content, font and image stream with pako, a deflate written in JavaScript: about a fifth
 * of the CPU time of drawing a form. Node's zlib gives the same format (RFC 1950, level 6 by default) several times
 * faster, so pdf-lib's calls are routed to it.
 *
 * Only calls without options are taken over (pdf-lib passes none); any other caller of pako keeps pako's behaviour.
 */
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';

type Deflate = (data: Uint8Array | ArrayBuffer | string, options?: unknown) => Uint8Array;

const marker = Symbol.for('tinhso.pdf.nativeDeflate');

/** Makes pdf-lib's copy of pako deflate with zlib; idempotent. */
export function installNativeDeflate(): void {
  const require = createRequire(createRequire(import.meta.url).resolve('pdf-lib'));
  const pako = require('pako') as { deflate: Deflate & { [marker]?: true } };
  if (pako.deflate[marker]) return;
  const original = pako.deflate;
  const deflate: Deflate & { [marker]?: true } = (data, options) => {
    if (options !== undefined || typeof data === 'string') return original(data, options);
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
    return deflateSync(bytes);
  };
  deflate[marker] = true;
  pako.deflate = deflate;
}
