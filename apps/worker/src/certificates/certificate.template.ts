/**
 * The certificate page with what every certificate shares prepared once per render thread, so a
 * certificate costs only its own text and QR code. The page is drawn by the same code as before
 * (certificate.drawing.ts, pdfkit): same layout, same embedded TrueType fonts, same text and QR.
 * What is no longer done per document (measured, see bench/certificates/README.md):
 * - parsing each TrueType file and decoding its layout tables (GSUB/GPOS, cmap, glyf...): one
 *   fontkit font per face for the thread's lifetime, instead of one per document;
 * - shaping the same words again: one layout cache per face across documents (bounded);
 * - building and compressing the font subset: every document's subset starts with the same glyphs
 *   (printable ASCII and whatever the fixed labels use, in a fixed order), so a certificate whose
 *   variable text needs no other glyph (most Indonesian names) gets a byte-identical font program,
 *   which is built and deflated once and then copied; a name with other letters (Ñ, ễ...) gets its
 *   own subset, cached by glyph set too;
 * - Helvetica's metrics, which pdfkit loads for every document although the page never uses it.
 *
 * This leans on pdfkit's EmbeddedFont internals (fields `font`, `subset`, `widths`, `unicode`,
 * `layoutCache`, method `embed`): pdfkit is pinned to an exact version, and the fast-path test
 * (test/integration/certificates/certificate-fast-path.int-spec.ts) compares text, fonts, QR payload and
 * page size with drawCertificate's output, so an upgrade that changes them fails there.
 */
import { deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import type { CertificateDocumentData } from './certificate-document';
import {
  CertificateAssets,
  CertificateFontName,
  CertificateSettings,
  collectPdf,
  drawPage,
  newCertificateDocument,
  staticTexts,
} from './certificate.drawing';

interface Glyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

/** The parts of pdfkit's EmbeddedFont (pdfkit 0.17.2) this file relies on. */
interface PdfkitEmbeddedFont {
  font: { layout(text: string): { glyphs: Glyph[] } };
  subset: { includeGlyph(id: number): number; glyphs: number[]; encode(): Uint8Array };
  widths: number[];
  unicode: number[][];
  scale: number;
  layoutCache?: Record<string, unknown>;
  document: { ref(data?: Record<string, unknown>): PdfkitReference };
  embed(): void;
}
interface PdfkitReference {
  data: Record<string, unknown>;
  compress: boolean;
  end(chunk?: Uint8Array | string): void;
}
type EmbeddedFontClass = new (doc: PDFKit.PDFDocument, font: unknown, id: string) => PdfkitEmbeddedFont;

/** Layout cache entries kept per face before it is started afresh (bounded memory). */
const LAYOUT_CACHE_LIMIT = 20_000;
/** Distinct font programs kept per face (one per glyph set). */
const SUBSET_CACHE_LIMIT = 256;

/** One face (Regular or Bold), prepared once. */
class PreparedFace {
  private layoutCache: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  private layoutEntries = 0;
  private readonly programs = new Map<string, Buffer>();
  /** The glyphs every subset starts with, in this order: gid = index + 1 (gid 0 is .notdef). */
  private readonly base: Glyph[];

  constructor(
    private readonly Embedded: EmbeddedFontClass,
    private readonly fontkitFont: unknown,
    private readonly id: string,
    texts: string[],
  ) {
    const probe = new Embedded(new PDFDocument({ font: null as unknown as string }), fontkitFont, id);
    const seen = new Set<number>();
    const base: Glyph[] = [];
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    // Single characters first (their glyphs without ligatures), then what shaping the labels adds.
    for (const text of [...printable, ...texts]) {
      for (const word of text.split(' ')) {
        for (const glyph of probe.font.layout(word).glyphs) {
          if (glyph.id === 0 || seen.has(glyph.id)) continue;
          seen.add(glyph.id);
          base.push({ id: glyph.id, advanceWidth: glyph.advanceWidth * probe.scale, codePoints: glyph.codePoints });
        }
      }
    }
    this.base = base;
  }

  /** A pdfkit font for `doc` sharing this face's parsed font, layout cache and font programs. */
  install(doc: PDFKit.PDFDocument): PdfkitEmbeddedFont {
    const font = new this.Embedded(doc, this.fontkitFont, this.id);
    if (this.layoutEntries > LAYOUT_CACHE_LIMIT) {
      this.layoutCache = Object.create(null) as Record<string, unknown>;
      this.layoutEntries = 0;
    }
    this.layoutEntries += 40; // about the words one certificate adds; an estimate is enough for a bound
    font.layoutCache = this.layoutCache;
    for (const glyph of this.base) {
      const gid = font.subset.includeGlyph(glyph.id);
      font.widths[gid] = glyph.advanceWidth;
      font.unicode[gid] = glyph.codePoints;
    }
    const programs = this.programs;
    const original = font.document.ref.bind(font.document);
    const prototype = Object.getPrototypeOf(font) as PdfkitEmbeddedFont;
    // pdfkit's embed() makes the font program's stream with the first ref() it calls and fills it
    // with subset.encode(): hand it the cached, already deflated program of this glyph set instead.
    font.embed = function embedPrepared(this: PdfkitEmbeddedFont) {
      const key = this.subset.glyphs.join(',');
      let program = programs.get(key);
      if (!program) {
        if (programs.size >= SUBSET_CACHE_LIMIT) programs.clear();
        program = deflateSync(this.subset.encode());
        programs.set(key, program);
      }
      const deflated = program;
      let first = true;
      this.document.ref = (data?: Record<string, unknown>) => {
        const ref = original(data);
        if (first) {
          first = false;
          ref.compress = false;
          ref.data.Filter = 'FlateDecode';
        }
        return ref;
      };
      this.subset.encode = () => deflated;
      try {
        prototype.embed.call(this);
      } finally {
        this.document.ref = original;
      }
    };
    return font;
  }
}

export class CertificateTemplate {
  private readonly faces: Record<CertificateFontName, PreparedFace>;

  constructor(
    private readonly settings: CertificateSettings,
    private readonly assets: CertificateAssets,
  ) {
    // pdfkit does not export its EmbeddedFont class nor take a parsed font: take both from a probe.
    const probe = new PDFDocument({ font: null as unknown as string });
    const texts = staticTexts(settings);
    const prepare = (name: CertificateFontName, bytes: Uint8Array, id: string) => {
      probe.registerFont(name, Buffer.from(bytes));
      probe.font(name);
      const font = (probe as unknown as { _font: PdfkitEmbeddedFont })._font;
      return new PreparedFace(font.constructor as EmbeddedFontClass, font.font, id, texts[name]);
    };
    this.faces = { Regular: prepare('Regular', assets.regular, 'F1'), Bold: prepare('Bold', assets.bold, 'F2') };
  }

  render(data: CertificateDocumentData): Promise<Buffer> {
    const doc = newCertificateDocument(data, this.settings);
    const done = collectPdf(doc);
    const internals = doc as unknown as {
      _fontFamilies: Record<string, PdfkitEmbeddedFont>;
      _fontCount: number;
    };
    for (const name of ['Regular', 'Bold'] as const) {
      doc.registerFont(name, name);
      internals._fontFamilies[name] = this.faces[name].install(doc);
    }
    internals._fontCount = 2;
    drawPage(doc, data, this.settings, this.assets);
    doc.end();
    return done;
  }
}
