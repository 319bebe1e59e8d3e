import assert from 'node:assert/strict';
import { test } from 'vitest';
import { decodeTextFile } from '../../../shared/text/decode-text-file.js';

const text = 'Clinician: Any chest pain?\nPatient: No — only a cough, 3 días.\n';
const withBom = (bom: number[], body: Buffer) => new Uint8Array([...bom, ...body]);

test('a transcript saved as UTF-16 with a byte-order mark (Windows Notepad "Unicode") reads as the same text as UTF-8', () => {
  const le = withBom([0xff, 0xfe], Buffer.from(text, 'utf16le'));
  const be = withBom([0xfe, 0xff], Buffer.from(text, 'utf16le').swap16());
  assert.equal(decodeTextFile(le), text);
  assert.equal(decodeTextFile(be), text);
  assert.equal(decodeTextFile(new Uint8Array(Buffer.from(text, 'utf8'))), text);
  assert.equal(decodeTextFile(withBom([0xef, 0xbb, 0xbf], Buffer.from(text, 'utf8'))), text, 'a UTF-8 byte-order mark is dropped');
});

test('bytes that are not text are refused', () => {
  assert.equal(decodeTextFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08])), undefined, 'a zip file');
  assert.equal(decodeTextFile(new Uint8Array(Buffer.from(text, 'utf16le'))), undefined, 'UTF-16 without its mark holds NULs');
});
