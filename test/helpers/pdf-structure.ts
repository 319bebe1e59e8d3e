import { spawnSync } from 'node:child_process';

/**
 * Checks what a PDF reader relies on, without a PDF library: header and EOF marker, a
 * cross-reference table whose every offset lands on the object it names, startxref pointing at
 * it, a trailer whose /Size matches, stream lengths that match their bytes, and a page tree whose
 * /Count is the number of pages. Throws with what is wrong.
 */
export function checkPdfStructure(pdf: Buffer): { pages: number; objects: number } {
  const text = pdf.toString('latin1');
  if (!text.startsWith('%PDF-1.')) throw new Error('no %PDF header');
  if (!text.endsWith('%%EOF\n')) throw new Error('no %%EOF at the end');
  const startxref = /startxref\n(\d+)\n%%EOF\n$/.exec(text);
  if (!startxref) throw new Error('no startxref');
  const xrefAt = Number(startxref[1]);
  if (text.slice(xrefAt, xrefAt + 5) !== 'xref\n') throw new Error('startxref does not point at the xref table');
  const header = /^xref\n0 (\d+)\n/.exec(text.slice(xrefAt));
  if (!header) throw new Error('xref table has no subsection header');
  const count = Number(header[1]);
  const entriesAt = xrefAt + header[0].length;
  for (let i = 0; i < count; i += 1) {
    const entry = text.slice(entriesAt + i * 20, entriesAt + (i + 1) * 20);
    if (!/^\d{10} \d{5} [nf] \n$/.test(entry)) throw new Error(`xref entry ${i} is not 20 well-formed bytes`);
    if (i === 0) continue;
    const offset = Number(entry.slice(0, 10));
    if (!text.startsWith(`${i} 0 obj\n`, offset)) throw new Error(`xref entry ${i} points at the wrong place`);
  }
  const trailer = /trailer\n<< \/Size (\d+) \/Root (\d+) 0 R/.exec(text);
  if (!trailer || Number(trailer[1]) !== count) throw new Error('trailer /Size does not match the xref table');
  for (const match of text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
    const start = match.index + match[0].length;
    const length = Number(match[1]);
    if (text.slice(start + length, start + length + 10) !== '\nendstream') throw new Error('a stream /Length does not match its bytes');
  }
  const pages = [...text.matchAll(/\/Type \/Page /g)].length;
  const declared = /\/Type \/Pages \/Kids \[[^\]]*\] \/Count (\d+)/.exec(text);
  if (!declared || Number(declared[1]) !== pages) throw new Error('page tree /Count does not match the pages');
  return { pages, objects: count - 1 };
}

export const PDFTOTEXT_MISSING = 'pdftotext (poppler-utils) is not installed; text extraction is not checked';
export const pdftotextAvailable = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).status === 0;

/** The text a reader extracts (pdftotext, stdin to stdout); throws when it reports errors. */
export function extractPdfText(pdf: Buffer): string {
  const result = spawnSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf });
  if (result.status !== 0 || result.stderr.length > 0) throw new Error(`pdftotext failed: ${result.stderr.toString('utf8')}`);
  return result.stdout.toString('utf8');
}
