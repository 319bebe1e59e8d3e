/**
 * A text file's bytes as a string: UTF-8 by default, UTF-16 (LE or BE) when the file starts with
 * its byte-order mark, as Windows Notepad saves "Unicode" files. Undefined when the bytes are not
 * text (a NUL character in what decoded, e.g. a binary file).
 */
export function decodeTextFile(bytes: Uint8Array): string | undefined {
  const [a, b, c] = bytes;
  let text: string;
  if (a === 0xff && b === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (a === 0xfe && b === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else text = new TextDecoder('utf-8').decode(a === 0xef && b === 0xbb && c === 0xbf ? bytes.subarray(3) : bytes);
  return text.includes('\u0000') ? undefined : text;
}
