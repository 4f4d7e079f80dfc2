/**
 * fontkit for pdf-lib, with each font file parsed once per process. pdf-lib parses the whole font
 * (DejaVu: ~700 KB of tables) every time a document embeds it, which was the largest part of drawing a form.
 *
 * Each document gets its own view of the parsed font (`Object.create`): the tables are shared, but the
 * glyph cache is the document's own. A shared glyph cache is wrong: a glyph first met as a component of an
 * accented letter (U inside Ủ) is cached without its code point, and the next document's text map then
 * loses that letter.
 *
 * What depends only on the font and its input is shared instead, as plain data from which each document builds its
 * own glyph objects:
 * - shaping: pdf-lib shapes every string it measures or draws (`font.layout`: cmap, GSUB, GPOS) and most strings of
 *   a form recur in every document. A shaped string is remembered as its glyph ids and the code points each glyph
 *   stands for; the document's view makes the glyphs from them (`getGlyph`), so its text map is made exactly as
 *   before. pdf-lib reads only `glyphs` of a run (not the positions), so a remembered run carries only those.
 * - glyph metrics (advance, bearings), read for every glyph a document uses;
 * - what the font subset needs of each glyph: its outline bytes, its components (an accented letter is a
 *   compound of its base letter and the mark), its advance and bearing. fontkit decodes the whole outline of every
 *   glyph of every subset only to learn whether it is a compound.
 * - the subset's font file. fontkit writes it number by number through its generic struct encoder, the 1.4 KB
 *   hinting program (prep) and the control values included, and hands it over through a timer; the same bytes are
 *   put together here from the tables of a subset fontkit wrote once per font (head, hhea and maxp with their glyph
 *   counts set, cvt, prep and fpgm as they are) and the subset's own loca, glyf and hmtx.
 */
import fontkit from '@pdf-lib/fontkit';

type Fontkit = typeof fontkit;
type Font = ReturnType<Fontkit['create']>;
type GlyphRun = ReturnType<Font['layout']>;
type Glyph = ReturnType<Font['getGlyph']>;

/** Glyph ids of a shaped string and the code points each glyph stands for. */
interface Shaped {
  ids: number[];
  codePoints: number[][];
}

/** fontkit internals this module relies on (TrueType fonts; @pdf-lib/fontkit 1.x). */
interface GlyphInternals {
  _metrics?: unknown;
  _getMetrics(): { advanceWidth: number; leftBearing: number };
  _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null;
}
interface FontInternals {
  _glyphs: Record<number, Glyph | undefined>;
  _variationProcessor: unknown;
  loca: { offsets: number[] };
  _getTableStream(tag: string): { pos: number; readBuffer(length: number): Uint8Array };
}
interface TtfSubset {
  font: Font & FontInternals;
  glyphs: number[];
  glyf: Uint8Array[];
  loca: { offsets: number[] };
  hmtx: { metrics: { advance: number; bearing: number }[] };
  offset: number;
  glyphEncoder?: unknown;
  includeGlyph(gid: number): number;
  _addGlyph(gid: number): number;
  encodeStream(): SubsetStream;
}

/** What pdf-lib reads of fontkit's encode stream. */
interface SubsetStream {
  on(event: string, listener: (arg?: unknown) => void): SubsetStream;
}

/** What the subset copies of one glyph; `components` for a compound glyph, whose component ids it renumbers. */
interface SubsetGlyph {
  bytes: Uint8Array;
  components: { glyphID: number; pos: number }[] | null;
  advance: number;
  bearing: number;
}

/** Shaped strings kept per font; the map starts again when full so a stream of unique strings cannot grow it forever. */
const MAX_SHAPED = 20_000;

const parsed = new WeakMap<Uint8Array, Font>();

function define(font: Font, key: string, value: unknown): void {
  Object.defineProperty(font, key, { value, writable: true, configurable: true });
}

/** Installs the shared caches on a parsed font; its document views inherit them. */
function shareDerivedData(font: Font): void {
  const shaped = new Map<string, Shaped>();
  const metrics = new Map<number, unknown>();
  const subsetGlyphs = new Map<number, SubsetGlyph>();
  let tables: Promise<FixedTables> | undefined;
  const layout = font.layout;
  const getGlyph = font.getGlyph;
  const createSubset = font.createSubset;

  define(font, 'layout', function sharedLayout(this: Font, text: string, ...rest: unknown[]): GlyphRun {
    // Features, script, language or direction given: not what pdf-lib asks for; shape as usual.
    if (typeof text !== 'string' || rest.some((arg) => arg !== undefined)) {
      return (layout as (...args: unknown[]) => GlyphRun).call(this, text, ...rest);
    }
    const hit = shaped.get(text);
    if (hit) return { glyphs: hit.ids.map((id, i) => this.getGlyph(id, hit.codePoints[i])) } as GlyphRun;
    const run = layout.call(this, text);
    if (shaped.size >= MAX_SHAPED) shaped.clear();
    shaped.set(text, { ids: run.glyphs.map((g) => g.id), codePoints: run.glyphs.map((g) => g.codePoints) });
    return run;
  });

  define(font, 'getGlyph', function sharedMetricsGlyph(this: Font & FontInternals, id: number, codePoints?: number[]): Glyph {
    const fresh = !this._glyphs[id];
    const glyph = getGlyph.call(this, id, codePoints);
    if (fresh && glyph) {
      const g = glyph as Glyph & GlyphInternals;
      const known = metrics.get(id);
      if (known) g._metrics = known;
      else metrics.set(id, g._getMetrics());
    }
    return glyph;
  });

  define(font, 'createSubset', function sharedSubset(this: Font & FontInternals) {
    const subset = createSubset.call(this) as unknown as TtfSubset;
    // TrueType outlines without variations (DejaVu); anything else keeps fontkit's own code.
    if (typeof subset._addGlyph === 'function' && 'glyphEncoder' in subset && !this._variationProcessor) {
      const fontkitStream = subset.encodeStream;
      subset.encodeStream = function encodeStream(this: TtfSubset): SubsetStream {
        tables ??= fixedTablesOf(createSubset.call(this.font) as unknown as TtfSubset, fontkitStream).catch((err: unknown) => {
          tables = undefined; // the next document tries again
          throw err;
        });
        return emitting(tables.then((fixed) => encodeSubset(this, fixed)));
      };
      subset._addGlyph = function addGlyph(this: TtfSubset, gid: number): number {
        let g = subsetGlyphs.get(gid);
        if (!g) {
          g = subsetGlyphOf(this.font, gid);
          subsetGlyphs.set(gid, g);
        }
        let bytes = g.bytes;
        if (g.components) {
          bytes = new (bytes.constructor as new (b: Uint8Array) => Uint8Array)(bytes);
          for (const c of g.components) {
            const id = this.includeGlyph(c.glyphID);
            bytes[c.pos] = id >> 8;
            bytes[c.pos + 1] = id & 0xff;
          }
        }
        this.glyf.push(bytes);
        this.loca.offsets.push(this.offset);
        this.hmtx.metrics.push({ advance: g.advance, bearing: g.bearing });
        this.offset += bytes.length;
        return this.glyf.length - 1;
      };
    }
    return subset as unknown as ReturnType<Font['createSubset']>;
  });
}

/** The tables every subset of a font shares; head, hhea and maxp get the subset's numbers. */
interface FixedTables {
  /** In fontkit's order: head, hhea, loca, maxp, cvt , prep, glyf, hmtx, fpgm (those the font has). */
  order: string[];
  bytes: Map<string, Uint8Array>;
}

/** Reads the tables back from a subset of glyph 0 that fontkit wrote itself. */
async function fixedTablesOf(empty: TtfSubset, encodeStream: TtfSubset['encodeStream']): Promise<FixedTables> {
  const file = await new Promise<Buffer>((resolve, reject) => {
    const parts: Uint8Array[] = [];
    encodeStream
      .call(empty)
      .on('data', (b) => parts.push(b as Uint8Array))
      .on('end', () => resolve(Buffer.concat(parts)))
      .on('error', reject);
  });
  const count = file.readUInt16BE(4);
  const order: string[] = [];
  const bytes = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    const tag = file.toString('latin1', at, at + 4);
    const offset = file.readUInt32BE(at + 8);
    order.push(tag);
    bytes.set(tag, file.subarray(offset, offset + file.readUInt32BE(at + 12)));
  }
  for (const tag of ['head', 'hhea', 'loca', 'maxp', 'glyf', 'hmtx']) {
    if (!bytes.has(tag)) throw new Error(`font subset without ${tag}`);
  }
  return { order, bytes };
}

/**
 * fontkit's TTFSubset.encode with the fixed tables given: glyphs added in order (a compound adds its components at
 * the end), loca short when the glyph data ends below 128 KB, tables one after the other without checksums.
 */
function encodeSubset(subset: TtfSubset, fixed: FixedTables): Buffer {
  subset.glyf = [];
  subset.offset = 0;
  subset.loca = { offsets: [] };
  subset.hmtx = { metrics: [] };
  for (let i = 0; i < subset.glyphs.length; i++) subset._addGlyph(subset.glyphs[i] as number);
  const offsets = subset.loca.offsets;
  offsets.push(subset.offset);
  const long = subset.offset > 0xffff;
  const loca = Buffer.alloc(offsets.length * (long ? 4 : 2));
  for (const [i, o] of offsets.entries()) {
    if (long) loca.writeUInt32BE(o, i * 4);
    else loca.writeUInt16BE(o >>> 1, i * 2);
  }
  const head = Buffer.from(fixed.bytes.get('head') as Uint8Array);
  head.writeInt16BE(long ? 1 : 0, 50); // indexToLocFormat
  const hhea = Buffer.from(fixed.bytes.get('hhea') as Uint8Array);
  hhea.writeUInt16BE(subset.hmtx.metrics.length, 34); // numberOfMetrics
  const maxp = Buffer.from(fixed.bytes.get('maxp') as Uint8Array);
  maxp.writeUInt16BE(subset.glyf.length, 4); // numGlyphs
  const hmtx = Buffer.alloc(subset.hmtx.metrics.length * 4);
  subset.hmtx.metrics.forEach((m, i) => {
    hmtx.writeUInt16BE(m.advance, i * 4);
    hmtx.writeInt16BE(m.bearing, i * 4 + 2);
  });
  const own: Record<string, Uint8Array | Uint8Array[]> = { head, hhea, loca, maxp, glyf: subset.glyf, hmtx };
  const tables = fixed.order.map((tag) => {
    const t = own[tag] ?? (fixed.bytes.get(tag) as Uint8Array);
    return { tag, parts: Array.isArray(t) ? t : [t] };
  });
  const n = tables.length;
  const exponent = Math.floor(Math.log2(n));
  const directory = Buffer.alloc(12 + 16 * n);
  directory.write('true', 0, 'latin1');
  directory.writeUInt16BE(n, 4);
  directory.writeUInt16BE(2 ** exponent * 16, 6);
  directory.writeUInt16BE(exponent, 8);
  directory.writeUInt16BE(n * 16 - 2 ** exponent * 16, 10);
  let offset = directory.length;
  tables.forEach((t, i) => {
    const length = t.parts.reduce((sum, p) => sum + p.length, 0);
    const at = 12 + 16 * i;
    directory.write(t.tag, at, 'latin1');
    directory.writeUInt32BE(offset, at + 8);
    directory.writeUInt32BE(length, at + 12);
    offset += length;
  });
  return Buffer.concat([directory, ...tables.flatMap((t) => t.parts)]);
}

/** A stream of one chunk, as pdf-lib reads fontkit's: listeners are attached right after the call. */
function emitting(bytes: Promise<Uint8Array>): SubsetStream {
  const listeners = new Map<string, ((arg?: unknown) => void)[]>();
  const emit = (event: string, arg?: unknown) => {
    for (const listener of listeners.get(event) ?? []) listener(arg);
  };
  bytes.then(
    (b) => {
      emit('data', b);
      emit('end');
    },
    (err: unknown) => emit('error', err),
  );
  const stream: SubsetStream = {
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return stream;
    },
  };
  return stream;
}

/** fontkit's TTFSubset._addGlyph, read once per glyph. */
function subsetGlyphOf(font: Font & FontInternals, gid: number): SubsetGlyph {
  const glyph = font.getGlyph(gid) as Glyph & GlyphInternals;
  const glyf = glyph._decode();
  const start = font.loca.offsets[gid] as number;
  const end = font.loca.offsets[gid + 1] as number;
  const stream = font._getTableStream('glyf');
  stream.pos += start;
  const bytes = stream.readBuffer(end - start);
  const metrics = glyph._getMetrics();
  return {
    bytes,
    components: glyf && glyf.numberOfContours < 0 ? (glyf.components ?? []).map((c) => ({ glyphID: c.glyphID, pos: c.pos })) : null,
    advance: metrics.advanceWidth,
    bearing: metrics.leftBearing,
  };
}

export const cachingFontkit: Fontkit = {
  ...fontkit,
  create(data: Uint8Array, postscriptName?: string): Font {
    if (postscriptName) return fontkit.create(data, postscriptName);
    let font = parsed.get(data);
    if (!font) {
      font = fontkit.create(data);
      shareDerivedData(font);
      parsed.set(data, font);
    }
    const view = Object.create(font) as Font & { _glyphs: Record<number, unknown> };
    view._glyphs = {};
    return view;
  },
};
