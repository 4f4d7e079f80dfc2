/**
 * fontkit for pdf-lib, with each font file parsed once per process. pdf-lib parses the whole font
 * (DejaVu: ~700 KB of tables) every time a document embeds it, which was the largest part of drawing a form.
 *
 * Each document gets its own view of the parsed font (`Object.create`): the tables are shared, but the
 * glyph cache is the document's own. A shared glyph cache is wrong: a glyph first met as a component of an
 * accented letter (U inside Ủ) is cached without its code point, and the next document's text map then
 * loses that letter.
 */
import fontkit from '@pdf-lib/fontkit';

type Fontkit = typeof fontkit;
type Font = ReturnType<Fontkit['create']>;

const parsed = new WeakMap<Uint8Array, Font>();

export const cachingFontkit: Fontkit = {
  ...fontkit,
  create(data: Uint8Array, postscriptName?: string): Font {
    if (postscriptName) return fontkit.create(data, postscriptName);
    let font = parsed.get(data);
    if (!font) {
      font = fontkit.create(data);
      parsed.set(data, font);
    }
    const view = Object.create(font) as Font & { _glyphs: Record<number, unknown> };
    view._glyphs = {};
    return view;
  },
};
