import { Hl7Message } from '@medplum/core';
import type { Hl7Segment } from '@medplum/core';
import { unescapeHl7 } from './escape.js';

/**
 * Safe, unescaped reads over a parsed message. Medplum's accessors return raw (escaped) text and
 * throw on a repetition that is not there; these return '' for anything absent.
 */

/** Parses message text as received: tolerates the trailing segment terminator and LF line ends. */
export function parseHl7(text: string): Hl7Message {
  const trimmed = text.replace(/^[\r\n]+|[\r\n]+$/g, '');
  if (!/^MSH(.)/.test(trimmed)) throw new SyntaxError('not an HL7 v2 message (no MSH segment first)');
  return Hl7Message.parse(trimmed);
}

/** Component `component` (1-based) of repetition `repetition` (0-based) of field `index`, unescaped; subcomponents stay joined. */
export function hl7Value(segment: Hl7Segment | undefined, index: number, component = 1, repetition = 0): string {
  const raw = segment?.getField(index)?.components[repetition]?.[component - 1];
  return raw === undefined ? '' : unescapeHl7(raw, segment!.context);
}

/** The first subcomponent of a component: an HD namespace id inside a CX, for instance. */
export function hl7Sub(segment: Hl7Segment | undefined, index: number, component: number, sub = 1, repetition = 0): string {
  const raw = segment?.getField(index)?.components[repetition]?.[component - 1];
  if (raw === undefined) return '';
  return unescapeHl7(raw.split(segment!.context.subcomponentSeparator)[sub - 1] ?? '', segment!.context);
}

/** A whole field read as text (TX/FT): components and repetitions a careless sender left unescaped come back as the literal characters. */
export function hl7Text(segment: Hl7Segment | undefined, index: number): string {
  const f = segment?.getField(index);
  return f ? unescapeHl7(f.toString(), segment!.context) : '';
}

export function repetitionCount(segment: Hl7Segment | undefined, index: number): number {
  const f = segment?.getField(index);
  if (!f) return 0;
  return f.components.filter((r) => r.some((c) => c !== '')).length;
}
