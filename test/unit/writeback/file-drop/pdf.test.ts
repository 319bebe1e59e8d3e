import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { renderTextPdf } from '../../../../main/writeback/file-drop/pdf.js';
import { toWinAnsi } from '../../../../main/writeback/file-drop/winansi.js';
import { PDFTOTEXT_MISSING, checkPdfStructure, extractPdfText, pdftotextAvailable } from '../../../helpers/pdf-structure.js';
import { skipWhen } from '../../../helpers/skip.js';

const input = (lines: string[]) => ({
  title: 'Progress note',
  header: 'Progress note  |  Test Patient',
  footer: 'Signed by Dr. Test',
  lines,
  createdAt: new Date('2026-11-21T15:00:00Z'),
});

describe('text PDF writer', () => {
  test('writes a well-formed PDF: xref offsets, stream lengths, page tree', () => {
    const pdf = renderTextPdf(input(['CHIEF COMPLAINT', 'Cough for three days.']));
    assert.deepEqual(checkPdfStructure(pdf.bytes), { pages: 1, objects: 6 });
    assert.equal(pdf.pages, 1);
    assert.equal(pdf.replacedCharacters, 0);
  });

  test('escapes ( ) and \\ in strings and keeps the file ASCII apart from the binary marker', () => {
    const pdf = renderTextPdf(input(['f(x) = (a\\b)', 'unbalanced ) ( (']));
    const text = pdf.bytes.toString('latin1');
    assert.ok(text.includes('(f\\(x\\) = \\(a\\\\b\\)) Tj'));
    assert.ok(text.includes('(unbalanced \\) \\( \\() Tj'));
    assert.ok(
      [...pdf.bytes.subarray(15)].every((b) => b < 0x80),
      'only the header comment is binary',
    );
  });

  test('is deterministic: the same note gives the same bytes', () => {
    assert.deepEqual(renderTextPdf(input(['same'])).bytes, renderTextPdf(input(['same'])).bytes);
  });

  test('breaks long notes across pages, each with header and numbered footer', () => {
    const lines = Array.from({ length: 130 }, (_, i) => `Line ${i + 1} of the plan.`);
    const pdf = renderTextPdf(input(lines));
    assert.equal(pdf.pages, 3);
    assert.equal(checkPdfStructure(pdf.bytes).pages, 3);
    const text = pdf.bytes.toString('latin1');
    assert.equal([...text.matchAll(/\(Progress note {2}\| {2}Test Patient\) Tj/g)].length, 3);
    for (const n of [1, 2, 3]) assert.ok(text.includes(`Page ${n} of 3) Tj`));
  });

  test('wraps a long line at word boundaries and splits a word wider than the page', () => {
    const long = `${'word '.repeat(60)}${'x'.repeat(300)}`;
    const pdf = renderTextPdf(input([long]));
    const shown = [...pdf.bytes.toString('latin1').matchAll(/\(((?:[^()\\]|\\.)*)\) Tj/g)].map((m) => m[1]!).slice(1, -1);
    assert.ok(shown.length >= 4, `wrapped into ${shown.length} lines`);
    assert.equal(shown.join('').replace(/ /g, ''), long.replace(/ /g, ''), 'nothing lost but the spaces lines broke at');
    const wordLines = shown.filter((l) => l.includes('word'));
    assert.ok(
      wordLines.every((l) => /^(word ?)+$/.test(l)),
      'word lines break between words',
    );
    assert.ok(
      shown.every((l) => l.length <= 120),
      'no line runs past the page',
    );
  });

  test('Latin text maps to WinAnsi; what it cannot show becomes a look-alike or ?, and is counted', () => {
    assert.deepEqual(toWinAnsi('café – “ok” €'), {
      bytes: [...Buffer.from('caf'), 0xe9, 0x20, 0x96, 0x20, 0x93, 0x6f, 0x6b, 0x94, 0x20, 0x80],
      replaced: 0,
    });
    assert.deepEqual(toWinAnsi('ő'), { bytes: [0x6f], replaced: 1 });
    assert.deepEqual(toWinAnsi('日🩺'), { bytes: [0x3f, 0x3f], replaced: 2 });
    assert.deepEqual(toWinAnsi('a\u200bb'), { bytes: [0x61, 0x62], replaced: 1 });
    assert.deepEqual(toWinAnsi('2 − 1 ≥ 0'), { bytes: [...Buffer.from('2 - 1 >= 0')], replaced: 2 });
    assert.equal(renderTextPdf(input(['café 日本'])).replacedCharacters, 2);
  });

  test('an empty note still makes a valid one-page PDF', () => {
    assert.equal(checkPdfStructure(renderTextPdf(input([])).bytes).pages, 1);
  });

  test(
    'a PDF reader extracts the text, with accents, parentheses and tabs',
    skipWhen(pdftotextAvailable ? false : PDFTOTEXT_MISSING),
    () => {
      const pdf = renderTextPdf(
        input([
          'ASSESSMENT',
          'Café au lait spots (two), naïve \\ path',
          '\tindented after a tab',
          ...Array.from({ length: 60 }, (_, i) => `row ${i}`),
        ]),
      );
      const text = extractPdfText(pdf.bytes);
      assert.match(text, /Café au lait spots \(two\), naïve \\ path/);
      assert.match(text, /indented after a tab/);
      assert.match(text, /row 59/);
      assert.match(text, /Page 2 of 2/);
    },
  );
});
