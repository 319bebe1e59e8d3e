/**
 * "Today" is the clinician's calendar day where the workstation is, not UTC's: a clinic in
 * Honolulu at 17:00 is still on the same day, though UTC has moved on. The EHR is asked for that
 * day as two instants written with their own UTC offsets (a day with a daylight-saving change
 * starts and ends at different offsets).
 */
export interface LocalDay {
  /** YYYY-MM-DD */
  readonly date: string;
  /** Local midnight starting the day, e.g. 2026-03-08T00:00:00-05:00. */
  readonly start: string;
  /** Local midnight starting the next day (exclusive end), e.g. 2026-03-09T00:00:00-04:00. */
  readonly end: string;
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** A local wall-clock instant as ISO 8601 with its offset from UTC (JavaScript's sign is inverted). */
export function withLocalOffset(instant: Date): string {
  const offset = -instant.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const date = `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}`;
  const time = `${pad(instant.getHours())}:${pad(instant.getMinutes())}:${pad(instant.getSeconds())}`;
  return `${date}T${time}${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

export function localDay(now: Date): LocalDay {
  // new Date(y, m, d) is local midnight (or the first instant of the day where midnight is skipped).
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return { date: withLocalOffset(start).slice(0, 10), start: withLocalOffset(start), end: withLocalOffset(end) };
}
