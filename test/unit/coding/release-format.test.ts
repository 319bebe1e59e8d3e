import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { ProblemList } from '../../../main/coding/import-error.js';
import { parseCodesFile, parseOrderFile } from '../../../main/coding/release-format.js';
import { codesLine, crlf, orderLine } from '../../helpers/icd-release.js';

const good = [
  orderLine(1, 'E11', false, 'Type 2 diabetes mellitus', 'Type 2 diabetes mellitus'),
  orderLine(2, 'E119', true, 'Type 2 diabetes mellitus without complications', 'Type 2 diabetes mellitus without complications'),
];

function parseOrder(lines: readonly string[]) {
  const problems = new ProblemList();
  const parsed = parseOrderFile('order.txt', crlf(lines), problems);
  return { parsed, problems: problems.items };
}

describe('order file layout', () => {
  test('reads the official line layout of the CMS order file', () => {
    // Copied byte for byte from icd10cm_order_2026.txt (line 2).
    const official =
      '00002 A000    1 Cholera due to Vibrio cholerae 01, biovar cholerae           Cholera due to Vibrio cholerae 01, biovar cholerae';
    const { parsed, problems } = parseOrder([orderLine(1, 'A00', false, 'Cholera', 'Cholera'), official.replace('00002', '00002')]);
    assert.deepEqual(problems, []);
    assert.deepEqual(parsed[1], {
      line: 2,
      order: 2,
      code: 'A000',
      billable: true,
      shortTitle: 'Cholera due to Vibrio cholerae 01, biovar cholerae',
      title: 'Cholera due to Vibrio cholerae 01, biovar cholerae',
    });
  });

  test('accepts LF as well as CRLF, and no final newline', () => {
    const problems = new ProblemList();
    assert.equal(parseOrderFile('order.txt', good.join('\n'), problems).length, 2);
    assert.deepEqual(problems.items, []);
  });

  const broken: { name: string; line: (l: string) => string; expect: RegExp }[] = [
    { name: 'a valid flag that is not 0 or 1', line: (l) => `${l.slice(0, 14)}2${l.slice(15)}`, expect: /column 15 .* must be 0 or 1/ },
    { name: 'a shifted column', line: (l) => ` ${l}`, expect: /five-digit order number|must be spaces|shifted/ },
    {
      name: 'an invalid code (lower case)',
      line: (l) => `${l.slice(0, 6)}e119   ${l.slice(13)}`,
      expect: /does not hold an ICD-10-CM code/,
    },
    {
      name: 'an invalid code (punctuation)',
      line: (l) => `${l.slice(0, 6)}E1.9   ${l.slice(13)}`,
      expect: /does not hold an ICD-10-CM code/,
    },
    { name: 'an empty code', line: (l) => `${l.slice(0, 6)}       ${l.slice(13)}`, expect: /code field .* is empty/ },
    { name: 'a missing long title', line: (l) => l.slice(0, 77), expect: /needs at least 78|long title/ },
    { name: 'a truncated line', line: (l) => l.slice(0, 40), expect: /has 40 characters/ },
    { name: 'a non-ASCII character', line: (l) => l.replace('diabetes', 'diab\u00e9tes'), expect: /other than printable ASCII/ },
    { name: 'a wrong order number', line: (l) => `00007${l.slice(5)}`, expect: /order number 7 where 2 was expected/ },
  ];
  for (const c of broken) {
    test(`reports ${c.name} with its line number`, () => {
      const { problems } = parseOrder([good[0]!, c.line(good[1]!)]);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0]!.line, 2);
      assert.match(problems[0]!.message, c.expect);
    });
  }

  test('never echoes the content of a line in a problem', () => {
    const secret = 'Zzyzx Quillfeather-Sentinel MRN-SENTINEL-77341';
    const { problems } = parseOrder([secret, `${good[1]!.slice(0, 14)}x${good[1]!.slice(15)}`]);
    assert.ok(problems.length >= 1);
    for (const p of problems) assert.ok(!p.message.includes('Zzyzx') && !p.message.includes('SENTINEL'), p.message);
  });

  test('an empty file or an empty line is a problem, not an empty code set', () => {
    const problems = new ProblemList();
    assert.deepEqual(parseOrderFile('order.txt', '', problems), []);
    assert.match(problems.items[0]!.message, /the file is empty/);
    const blank = parseOrder([good[0]!, '', good[1]!]).problems;
    assert.deepEqual(
      blank.map((p) => [p.line, p.message]),
      [[2, 'the line is empty']],
    );
  });
});

describe('codes file layout', () => {
  test('reads the official line layout of the CMS codes file', () => {
    const problems = new ProblemList();
    // Copied from icd10cm_codes_2026.txt.
    const parsed = parseCodesFile(
      'codes.txt',
      crlf([
        'A000    Cholera due to Vibrio cholerae 01, biovar cholerae',
        codesLine('E1165', 'Type 2 diabetes mellitus with hyperglycemia'),
      ]),
      problems,
    );
    assert.deepEqual(problems.items, []);
    assert.deepEqual(parsed[0], { line: 1, code: 'A000', title: 'Cholera due to Vibrio cholerae 01, biovar cholerae' });
    assert.equal(parsed[1]!.code, 'E1165');
  });

  test('reports a shifted title and an invalid code with their line numbers', () => {
    const problems = new ProblemList();
    parseCodesFile('codes.txt', crlf([codesLine('E119', 'Fine'), `E1165    Shifted by one`, codesLine('E11.6', 'Dotted')]), problems);
    assert.deepEqual(
      problems.items.map((p) => p.line),
      [2, 3],
    );
    assert.match(problems.items[0]!.message, /column 9/);
    assert.match(problems.items[1]!.message, /does not hold an ICD-10-CM code/);
  });
});
