/** Untimed transcripts get times from a typical conversational rate, so playback sync is approximate but ordered. */
const MS_PER_WORD = 400;
const MIN_TURN_MS = 1_000;

export function estimatedDurationMs(text: string): number {
  const words = text.split(/\s+/).filter(Boolean).length;
  return Math.max(MIN_TURN_MS, words * MS_PER_WORD);
}

/** "01:02:03.450", "02:03.450", "02:03,450" or "1:02:03" → milliseconds; undefined when not a timestamp. */
export function parseTimestamp(value: string): number | undefined {
  const match = /^(?:(\d{1,3}):)?([0-5]?\d):([0-5]\d)(?:[.,](\d{1,3}))?$/.exec(value.trim());
  if (!match) return undefined;
  const [, h, m, s, frac] = match;
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, '0'));
  return ((Number(h ?? 0) * 60 + Number(m)) * 60 + Number(s)) * 1000 + ms;
}
