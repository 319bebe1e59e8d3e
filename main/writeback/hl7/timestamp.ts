/**
 * HL7 v2 DTM values. Medplum's `formatHl7DateTime` writes UTC digits with no offset, which a
 * receiver reads as its own local time (hours off), and writes 5 ms as `.5`; so we format our own:
 * local wall-clock time with an explicit offset, `YYYYMMDDHHMMSS+ZZZZ`.
 */

/** Minutes east of UTC at that instant, in this machine's time zone (DST-aware). */
export function localOffsetMinutes(at: Date): number {
  return -at.getTimezoneOffset();
}

export function formatHl7Timestamp(at: Date, offsetMinutes: number = localOffsetMinutes(at)): string {
  if (!Number.isFinite(at.getTime())) throw new RangeError('formatHl7Timestamp: invalid date');
  const shifted = new Date(at.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${shifted.getUTCFullYear().toString().padStart(4, '0')}${two(shifted.getUTCMonth() + 1)}${two(shifted.getUTCDate())}` +
    `${two(shifted.getUTCHours())}${two(shifted.getUTCMinutes())}${two(shifted.getUTCSeconds())}` +
    `${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`
  );
}

/** An ISO date (`1931-02-28`) as an HL7 DT (`19310228`): dates of birth carry no time zone. */
export function formatHl7Date(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError('formatHl7Date: not an ISO date');
  return `${match[1]}${match[2]}${match[3]}`;
}

/** `19310228` → `1931-02-28`; undefined for anything else. */
export function parseHl7Date(value: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}

/**
 * A DTM with an offset (`20261121093000-0500`, optionally with fractional seconds) as the instant
 * it names. Values without an offset are ambiguous, so they give undefined rather than a guess.
 */
export function parseHl7Timestamp(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,4}))?([+-])(\d{2})(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac, sign, oh, om] = match;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  return new Date(utc - offset * 60_000);
}

function two(n: number): string {
  return n.toString().padStart(2, '0');
}
