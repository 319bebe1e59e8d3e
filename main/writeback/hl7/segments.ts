import { Hl7Context, Hl7Field, Hl7Segment } from '@medplum/core';
import { escapeHl7 } from './escape.js';

/**
 * Typed helpers over Medplum's HL7 model that escape every leaf value on the way in. Medplum's
 * string constructors parse their input (splitting on `^` and `~`), so a raw value containing a
 * delimiter would change structure; these build `Hl7Field`s from already-escaped parts instead.
 */
export const HL7_CONTEXT = new Hl7Context();

/** A component: a plain value, or its subcomponents in order. */
export type Component = string | undefined | readonly (string | undefined)[];

export function field(...components: Component[]): Hl7Field {
  const escaped = components.map((c) =>
    Array.isArray(c) ? trimEnd(c.map(leaf)).join(HL7_CONTEXT.subcomponentSeparator) : leaf(c as string | undefined),
  );
  return new Hl7Field([trimEnd(escaped)], HL7_CONTEXT);
}

/** One field holding several repetitions (`~`); empty repetitions are left out. */
export function repeated(...fields: Hl7Field[]): Hl7Field {
  const reps = fields.flatMap((f) => f.components).filter((r) => r.some((c) => c !== ''));
  return new Hl7Field(reps.length > 0 ? reps : [['']], HL7_CONTEXT);
}

/** A segment from its fields in order (index 0 is field 1); a string is one escaped component. */
export function segment(name: string, ...fields: (Hl7Field | string | undefined)[]): Hl7Segment {
  const list = fields.map((f) => (f instanceof Hl7Field ? f : field(f)));
  while (list.length > 0 && list[list.length - 1]!.toString() === '') list.pop();
  return new Hl7Segment([new Hl7Field([[name]], HL7_CONTEXT), ...list], HL7_CONTEXT);
}

/** MSH, whose MSH-1 is the separator itself and MSH-2 the encoding characters, not escaped. */
export function mshSegment(...fieldsFrom3: (Hl7Field | string | undefined)[]): Hl7Segment {
  const rest = segment('MSH', ...fieldsFrom3).fields.slice(1);
  return new Hl7Segment([new Hl7Field([['MSH']], HL7_CONTEXT), new Hl7Field([[HL7_CONTEXT.getMsh2()]], HL7_CONTEXT), ...rest], HL7_CONTEXT);
}

function leaf(value: string | undefined): string {
  return value === undefined ? '' : escapeHl7(value, HL7_CONTEXT);
}

function trimEnd(values: string[]): string[] {
  let end = values.length;
  while (end > 1 && values[end - 1] === '') end -= 1;
  return values.slice(0, end);
}
