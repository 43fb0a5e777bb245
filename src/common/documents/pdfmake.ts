import { join } from 'node:path';
import type { TDocumentDefinitions } from 'pdfmake/interfaces';

// pdfmake 0.3's Node entry is one shared instance configured by calls, not a class.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const pdfmake = require('pdfmake') as {
  setFonts(fonts: object): void;
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  createPdf(doc: TDocumentDefinitions): { getBuffer(): Promise<Buffer> };
};

/**
 * Roboto as pdfmake ships it, not the standard Helvetica: Helvetica covers æ, ø and å (WinAnsi) but not the
 * letters of Sámi names (č, đ, ŋ, š, ŧ, ž), which it prints as other glyphs. Roboto covers them and is
 * embedded as a subset of the glyphs used.
 */
const FONT_DIR = join(require.resolve('pdfmake/package.json'), '..', 'fonts', 'Roboto');
const FONTS = {
  Roboto: {
    normal: join(FONT_DIR, 'Roboto-Regular.ttf'),
    bold: join(FONT_DIR, 'Roboto-Medium.ttf'),
    italics: join(FONT_DIR, 'Roboto-Italic.ttf'),
    bolditalics: join(FONT_DIR, 'Roboto-MediumItalic.ttf'),
  },
};
const FONT_FILES = new Set(Object.values(FONTS.Roboto));

pdfmake.setFonts(FONTS);
// Our documents hold no images or links to fetch: nothing from the network, and no file but the fonts.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => FONT_FILES.has(path));

/** "Side 3 av 7", centred: the footer of every PDF Årshjul writes. */
export const pageNumberFooter = (current: number, total: number) => ({ text: `Side ${current} av ${total}`, alignment: 'center' as const, fontSize: 8, margin: [0, 12, 0, 0] as [number, number, number, number] });
