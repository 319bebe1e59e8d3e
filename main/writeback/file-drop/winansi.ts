/**
 * WinAnsiEncoding (the PDF standard encoding close to Windows-1252) and the Helvetica advance
 * widths from Adobe's Core 14 AFM, so the PDF writer can use the built-in Helvetica font (no font
 * embedding) and still wrap lines at the right place.
 */

/** Widths in 1/1000 em for WinAnsi bytes 32..255; 0 where WinAnsi has no glyph (toWinAnsi never emits those). */
// prettier-ignore
const HELVETICA_WIDTHS: readonly number[] = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
  556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
  0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
  278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
  400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
  667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
  722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
  556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/** Code points WinAnsi places in 0x80-0x9F (the Windows-1252 additions); the rest of 0x20-0xFF is Latin-1. */
const CP1252_HIGH: ReadonlyMap<number, number> = new Map([
  [0x20ac, 0x80],
  [0x201a, 0x82],
  [0x0192, 0x83],
  [0x201e, 0x84],
  [0x2026, 0x85],
  [0x2020, 0x86],
  [0x2021, 0x87],
  [0x02c6, 0x88],
  [0x2030, 0x89],
  [0x0160, 0x8a],
  [0x2039, 0x8b],
  [0x0152, 0x8c],
  [0x017d, 0x8e],
  [0x2018, 0x91],
  [0x2019, 0x92],
  [0x201c, 0x93],
  [0x201d, 0x94],
  [0x2022, 0x95],
  [0x2013, 0x96],
  [0x2014, 0x97],
  [0x02dc, 0x98],
  [0x2122, 0x99],
  [0x0161, 0x9a],
  [0x203a, 0x9b],
  [0x0153, 0x9c],
  [0x017e, 0x9e],
  [0x0178, 0x9f],
]);

/** Characters with no WinAnsi form that read well as a plain one. */
const LOOKALIKE: ReadonlyMap<number, string> = new Map([
  [0x2212, '-'],
  [0x2010, '-'],
  [0x2011, '-'],
  [0x2043, '-'],
  [0x2032, "'"],
  [0x2033, '"'],
  [0x2264, '<='],
  [0x2265, '>='],
  [0x2192, '->'],
  [0x2190, '<-'],
]);

const REPLACEMENT = 0x3f; // '?'

function direct(codePoint: number): number | undefined {
  if ((codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0xff)) return codePoint;
  return CP1252_HIGH.get(codePoint);
}

/**
 * Text as WinAnsi bytes. A character outside WinAnsi is approached in steps: a look-alike, then its
 * compatibility decomposition without accents (ő → o, ﬁ → fi, a thin space → space), else '?'.
 * Invisible format characters (zero-width space, BOM) are left out. `replaced` counts characters
 * not shown as themselves, so a caller can say the PDF is not the exact text.
 */
export function toWinAnsi(text: string): { bytes: number[]; replaced: number } {
  const bytes: number[] = [];
  let replaced = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const byte = direct(cp);
    if (byte !== undefined) {
      bytes.push(byte);
      continue;
    }
    replaced += 1;
    if (/\p{Cf}/u.test(ch)) continue;
    const lookalike = LOOKALIKE.get(cp);
    if (lookalike !== undefined) {
      for (const c of lookalike) bytes.push(c.charCodeAt(0));
      continue;
    }
    const decomposed = [...ch.normalize('NFKD').replace(/\p{M}/gu, '')].map((c) => direct(c.codePointAt(0)!));
    if (decomposed.length > 0 && decomposed.every((b) => b !== undefined)) bytes.push(...decomposed);
    else bytes.push(REPLACEMENT);
  }
  return { bytes, replaced };
}

/** Advance width of WinAnsi bytes in Helvetica, in points at `fontSize`. */
export function helveticaWidth(bytes: readonly number[], fontSize: number): number {
  let units = 0;
  for (const b of bytes) units += HELVETICA_WIDTHS[b - 32] ?? 0;
  return (units * fontSize) / 1000;
}
