import { helveticaWidth, toWinAnsi } from './winansi.js';

/**
 * A plain-text PDF 1.4: US Letter pages of Helvetica (one of the 14 fonts every reader has, so
 * nothing is embedded), a header line and a page-numbered footer on every page, body lines
 * wrapped at word boundaries and continued on new pages. Uncompressed and deterministic: the same
 * input gives the same bytes, so a resend writes an identical file.
 */
export interface TextPdfInput {
  /** Document title in the PDF's metadata. */
  readonly title: string;
  /** Printed at the top of every page (who the note is about). */
  readonly header: string;
  /** Printed at the bottom of every page, before "Page n of N". */
  readonly footer: string;
  /** The body, one entry per line of text. */
  readonly lines: readonly string[];
  readonly createdAt: Date;
}

export interface TextPdf {
  readonly bytes: Buffer;
  readonly pages: number;
  /** Characters drawn as something else ('?' or a plain look-alike) because WinAnsi has no glyph for them. */
  readonly replacedCharacters: number;
}

const PAGE_WIDTH = 612;
const PAGE_HEIGHT = 792;
const MARGIN_X = 54;
const TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
const BODY_SIZE = 10.5;
const LEADING = 14;
const HEADER_SIZE = 9;
const FOOTER_SIZE = 8;
const HEADER_Y = PAGE_HEIGHT - 42;
const BODY_TOP = PAGE_HEIGHT - 72;
const BODY_BOTTOM = 60;
const FOOTER_Y = 36;
const LINES_PER_PAGE = Math.floor((BODY_TOP - BODY_BOTTOM) / LEADING) + 1;
const TAB_SPACES = 4;

export function renderTextPdf(input: TextPdfInput): TextPdf {
  let replaced = 0;
  const encode = (text: string) => {
    const result = toWinAnsi(text);
    replaced += result.replaced;
    return result.bytes;
  };

  const bodyLines: number[][] = [];
  for (const line of input.lines) bodyLines.push(...wrap(encode(expandTabs(line.replace(/\r$/, ''))), BODY_SIZE, TEXT_WIDTH));
  if (bodyLines.length === 0) bodyLines.push([]);
  const pageCount = Math.ceil(bodyLines.length / LINES_PER_PAGE);
  const header = fit(encode(input.header), HEADER_SIZE, TEXT_WIDTH);

  const objects: Buffer[] = [];
  const add = (body: string | Buffer) => {
    objects.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
    return objects.length;
  };
  const catalog = add('');
  const pagesRef = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const info = add(`<< /Title ${pdfString(encode(input.title))} /Producer (Ambient Scribe) /CreationDate (${pdfDate(input.createdAt)}) >>`);
  objects[catalog - 1] = Buffer.from(`<< /Type /Catalog /Pages ${pagesRef} 0 R >>`, 'latin1');

  const pageRefs: number[] = [];
  for (let page = 0; page < pageCount; page += 1) {
    const footer = fit(encode(`${input.footer}    Page ${page + 1} of ${pageCount}`), FOOTER_SIZE, TEXT_WIDTH);
    const body = bodyLines.slice(page * LINES_PER_PAGE, (page + 1) * LINES_PER_PAGE);
    const content = [
      `BT /F1 ${HEADER_SIZE} Tf ${MARGIN_X} ${HEADER_Y} Td ${pdfString(header)} Tj ET`,
      `BT /F1 ${BODY_SIZE} Tf ${LEADING} TL ${MARGIN_X} ${BODY_TOP} Td`,
      ...body.map((line, i) => `${i === 0 ? '' : 'T* '}${pdfString(line)} Tj`),
      'ET',
      `BT /F1 ${FOOTER_SIZE} Tf ${MARGIN_X} ${FOOTER_Y} Td ${pdfString(footer)} Tj ET`,
    ].join('\n');
    const stream = add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
    pageRefs.push(
      add(
        `<< /Type /Page /Parent ${pagesRef} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${stream} 0 R >>`,
      ),
    );
  }
  objects[pagesRef - 1] = Buffer.from(
    `<< /Type /Pages /Kids [${pageRefs.map((r) => `${r} 0 R`).join(' ')}] /Count ${pageCount} >>`,
    'latin1',
  );

  // The binary comment tells transfer tools the file is not text.
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    chunks.push(chunk);
    offset += chunk.length;
  });
  // Each cross-reference entry is exactly 20 bytes, ending in space + LF.
  const xref = [
    `xref\n0 ${objects.length + 1}\n`,
    '0000000000 65535 f \n',
    ...offsets.map((o) => `${o.toString().padStart(10, '0')} 00000 n \n`),
  ].join('');
  chunks.push(
    Buffer.from(
      `${xref}trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${offset}\n%%EOF\n`,
      'latin1',
    ),
  );
  return { bytes: Buffer.concat(chunks), pages: pageCount, replacedCharacters: replaced };
}

/** Breaks one line into lines no wider than `width`: at spaces when it can, inside a word when a word alone is too wide. */
function wrap(bytes: number[], fontSize: number, width: number): number[][] {
  if (helveticaWidth(bytes, fontSize) <= width) return [bytes];
  const lines: number[][] = [];
  let rest = bytes;
  while (rest.length > 0 && helveticaWidth(rest, fontSize) > width) {
    let fitCount = 0;
    let used = 0;
    while (fitCount < rest.length) {
      used += helveticaWidth([rest[fitCount]!], fontSize);
      if (used > width) break;
      fitCount += 1;
    }
    fitCount = Math.max(fitCount, 1);
    const space = rest.lastIndexOf(0x20, fitCount);
    const cut = space > 0 ? space : fitCount;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(space > 0 ? cut + 1 : cut);
  }
  if (rest.length > 0) lines.push(rest);
  return lines;
}

/** Shortens a one-line text to `width`, ending in an ellipsis when cut. */
function fit(bytes: number[], fontSize: number, width: number): number[] {
  if (helveticaWidth(bytes, fontSize) <= width) return bytes;
  const ellipsis = 0x85;
  let cut = bytes.length;
  while (cut > 0 && helveticaWidth([...bytes.slice(0, cut), ellipsis], fontSize) > width) cut -= 1;
  return [...bytes.slice(0, cut), ellipsis];
}

function expandTabs(line: string): string {
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(TAB_SPACES - (out.length % TAB_SPACES)) : ch;
  return out;
}

/** A PDF literal string: ( ) \ escaped, anything outside printable ASCII as an octal escape. */
function pdfString(bytes: readonly number[]): string {
  let out = '(';
  for (const b of bytes) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out})`;
}

function pdfDate(at: Date): string {
  const iso = at.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}
