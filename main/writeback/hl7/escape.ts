import { Hl7Context } from '@medplum/core';

/**
 * HL7 v2.5.1 escaping (chapter 2.7) of one leaf value: a component or subcomponent.
 *
 * We own this because Medplum's `Hl7Field` / `Hl7Segment` do no escaping at all: they split and
 * join on the delimiters, so a `^` typed in a note would silently become a component boundary and
 * a `\` would start an escape sequence on the receiver's side. Medplum also splits messages on any
 * run of CR or LF, so a raw line break inside a value would end the segment.
 *
 * Besides the five delimiters, every C0 control character except TAB (and DEL) goes out as a
 * `\Xhh\` hex escape: CR and LF would end the segment, VT and FS would break MLLP framing, and the
 * rest have no meaning in text. Everything else, including all of Unicode, travels literally
 * (MSH-18 says UNICODE UTF-8). The result round-trips byte for byte through `unescapeHl7`.
 */
export function escapeHl7(value: string, context: Hl7Context = DEFAULT_CONTEXT): string {
  const e = context.escapeCharacter;
  let out = '';
  for (const ch of value) {
    if (ch === e) out += `${e}E${e}`;
    else if (ch === context.fieldSeparator) out += `${e}F${e}`;
    else if (ch === context.componentSeparator) out += `${e}S${e}`;
    else if (ch === context.subcomponentSeparator) out += `${e}T${e}`;
    else if (ch === context.repetitionSeparator) out += `${e}R${e}`;
    else if (isControl(ch)) out += `${e}X${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}${e}`;
    else out += ch;
  }
  return out;
}

/**
 * Reverses `escapeHl7`, and reads what other senders write: `\.br\` (a line break in TX/FT text),
 * highlighting (`\H\`, `\N\`, dropped), and `\X..\` hex read as UTF-8 bytes. A sequence we do not
 * know, or an escape character with no closing one, is kept as it was rather than guessed at.
 */
export function unescapeHl7(value: string, context: Hl7Context = DEFAULT_CONTEXT): string {
  const e = context.escapeCharacter;
  if (!value.includes(e)) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf(e, i);
    if (start < 0) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, start);
    const end = value.indexOf(e, start + 1);
    if (end < 0) {
      out += value.slice(start);
      break;
    }
    const decoded = decodeSequence(value.slice(start + 1, end), context);
    out += decoded ?? value.slice(start, end + 1);
    i = end + 1;
  }
  return out;
}

const DEFAULT_CONTEXT = new Hl7Context();

function isControl(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return (code < 0x20 && ch !== '\t') || code === 0x7f;
}

function decodeSequence(body: string, context: Hl7Context): string | undefined {
  switch (body) {
    case 'F':
      return context.fieldSeparator;
    case 'S':
      return context.componentSeparator;
    case 'T':
      return context.subcomponentSeparator;
    case 'R':
      return context.repetitionSeparator;
    case 'E':
      return context.escapeCharacter;
    case '.br':
      return '\n';
    case 'H':
    case 'N':
      return '';
    default:
      if (/^X(?:[0-9A-Fa-f]{2})+$/.test(body)) return Buffer.from(body.slice(1), 'hex').toString('utf8');
      return undefined;
  }
}
