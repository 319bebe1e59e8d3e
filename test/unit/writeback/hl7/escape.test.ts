import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { escapeHl7, unescapeHl7 } from '../../../../main/writeback/hl7/escape.js';

/** Deterministic PRNG so a failing fuzz case can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  '|',
  '^',
  '~',
  '\\',
  '&',
  '\r',
  '\n',
  '\t',
  '\x0b',
  '\x1c',
  '\x00',
  '\x7f',
  ' ',
  'F',
  'S',
  'T',
  'R',
  'E',
  'X',
  'H',
  'N',
  '.',
  'b',
  'r',
  '0',
  'D',
  'a',
  'é',
  'ß',
  '日',
  '本',
  '🩺',
  '\u2028',
  '\ufeff',
];

describe('HL7 escaping', () => {
  test('each delimiter and the escape character become their escape sequence', () => {
    assert.equal(escapeHl7('a|b^c~d\\e&f'), 'a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f');
  });

  test('line breaks and MLLP control bytes become hex escapes; tabs and Unicode stay literal', () => {
    assert.equal(escapeHl7('x\r\ny\x0bz\x1c\t日本🩺'), 'x\\X0D\\\\X0A\\y\\X0B\\z\\X1C\\\t日本🩺');
  });

  test('escaped text holds no raw delimiter, segment terminator or framing byte', () => {
    const escaped = escapeHl7(ALPHABET.join(''));
    const forbidden = ['|', '^', '~', '&', '\r', '\n', '\x0b', '\x1c', '\x00'];
    assert.ok(![...escaped].some((ch) => forbidden.includes(ch)), escaped);
    // Every backslash left is part of a complete escape sequence.
    assert.match(escaped.replace(/\\(?:[FSTRE]|X[0-9A-F]{2})\\/g, ''), /^[^\\]*$/);
  });

  const cases: [string, string][] = [
    ['empty', ''],
    ['plain', 'Blood pressure 128/82, pulse 72.'],
    ['every delimiter', '| ^ ~ \\ & || ^^ ~~ \\\\ &&'],
    ['escape sequences typed literally', '\\F\\ \\S\\ \\T\\ \\R\\ \\E\\ \\X0D\\ \\.br\\ \\H\\ \\N\\ \\Zlocal\\ \\'],
    ['a lone trailing escape character', 'ends with \\'],
    ['Windows line ends and tabs', 'a\r\n\tb\r\n\r\n'],
    ['Unicode beyond Latin-1', 'café naïve Ærø 日本語 Ελληνικά עברית 🩺👩🏽‍⚕️'],
    ['leading and trailing spaces', '   indented   '],
    ['control characters', '\x00\x01\x07\x1b\x7f'],
  ];
  for (const [name, text] of cases) {
    test(`round-trips byte for byte: ${name}`, () => {
      const back = unescapeHl7(escapeHl7(text));
      assert.deepEqual(Buffer.from(back, 'utf8'), Buffer.from(text, 'utf8'));
    });
  }

  test('round-trips 5,000 random strings built from delimiters, escape-like letters and Unicode', () => {
    const random = mulberry32(20261121);
    for (let n = 0; n < 5000; n += 1) {
      const length = Math.floor(random() * 40);
      let text = '';
      for (let i = 0; i < length; i += 1) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
      assert.equal(unescapeHl7(escapeHl7(text)), text, `case ${n}: ${JSON.stringify(text)}`);
    }
  });

  test('reads what other senders write: \\.br\\ as a line break, highlighting dropped, multi-byte hex as UTF-8', () => {
    assert.equal(unescapeHl7('line one\\.br\\line two'), 'line one\nline two');
    assert.equal(unescapeHl7('\\H\\bold\\N\\ text'), 'bold text');
    assert.equal(unescapeHl7('caf\\XC3A9\\'), 'café');
  });

  test('keeps unknown or unterminated sequences as they were instead of guessing', () => {
    assert.equal(unescapeHl7('\\Zlocal\\ and \\C2842\\'), '\\Zlocal\\ and \\C2842\\');
    assert.equal(unescapeHl7('path \\unterminated'), 'path \\unterminated');
  });
});
