/**
 * Our patient and practitioner names are one display string; HL7 XPN/XCN want the parts apart.
 * A leading title (Dr., Ms.) becomes the prefix and trailing credentials (", MD", "RN") the degree.
 * What remains is split at a comma when there is one ("Family, Given Middle", the form EHRs print),
 * otherwise the last word is the family name (the common "Given Family" order). EHRs match the
 * patient on PID-3, not the name, so a multi-word family name split wrongly here shows oddly but
 * cannot file the note to someone else.
 */
export interface PersonName {
  readonly family: string;
  readonly given: string;
  readonly middle: string;
  readonly prefix: string;
  readonly degree: string;
}

const PREFIX = /^(dr|mr|mrs|ms|mx|miss|prof|sr|sra)\.?$/i;
const DEGREE = /^(md|do|np|pa|pa-c|rn|aprn|fnp|dnp|phd|mbbs|dds|dmd|od|dpm|crnp|lpn|mph|facp|faafp)\.?$/i;

export function splitPersonName(displayName: string | undefined): PersonName | undefined {
  let name = displayName?.trim().replace(/\s+/g, ' ') ?? '';
  if (!name) return undefined;

  const degrees: string[] = [];
  for (;;) {
    const match = /(,\s*|\s+)([^\s,]+)$/.exec(name);
    if (!match || !DEGREE.test(match[2]!)) break;
    // Without a comma a credential must not look like a name ("Jane Do" is a name, "Jane Roe DO"
    // a credential) and must follow at least two name words.
    const afterComma = match[1]!.startsWith(',');
    if (!afterComma && (/^[A-Z][a-z]+\.?$/.test(match[2]!) || name.slice(0, match.index).trim().split(' ').length < 2)) break;
    degrees.unshift(match[2]!);
    name = name.slice(0, match.index).trim();
  }
  let prefix = '';
  const first = name.split(' ')[0] ?? '';
  if (PREFIX.test(first) && name.includes(' ')) {
    prefix = first;
    name = name.slice(first.length).trim();
  }
  const degree = degrees.join(' ');

  const comma = name.indexOf(',');
  if (comma >= 0) {
    const family = name.slice(0, comma).trim();
    const [given = '', ...middle] = name
      .slice(comma + 1)
      .trim()
      .split(' ')
      .filter(Boolean);
    return { family, given, middle: middle.join(' '), prefix, degree };
  }
  const words = name.split(' ');
  const family = words.pop() ?? '';
  const [given = '', ...middle] = words;
  return { family, given, middle: middle.join(' '), prefix, degree };
}
