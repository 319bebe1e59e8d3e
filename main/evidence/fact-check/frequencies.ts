import { PhraseTable } from './phrases.js';
import type { PhraseMatch } from './phrases.js';
import type { Token } from './tokens.js';

/**
 * How often a medicine is taken, as one key per schedule. Phrases with the same key say the same
 * thing; anything else is a different schedule, even where practice often treats them alike:
 *
 * - "n/d" (n times a day): daily = once daily = once a day = every day = a day (after a dose) = per
 *   day = q.d. = 1/d; twice daily = twice a day = two times a day = b.i.d. = BID = bd = 2/d; three
 *   times a day = t.i.d. = tds = 3/d; four times a day = q.i.d. = qds = 4/d.
 * - "qNh" (every N hours): every 8 hours = q8h = q 8 h. An interval is not a count: every 12 hours
 *   is NOT twice daily, every 8 hours is NOT three times a day (b.i.d./t.i.d. are spread over the
 *   waking day, q12h/q8h round the clock), and every 24 hours is NOT daily.
 * - every other day = every 2 days = every second day = q.o.d. (q2d); every other week = every 2
 *   weeks (q2w); weekly = once a week = every week (1/w); monthly = once a month (1/mo).
 * - times of day are their own schedules: every morning = in the morning = q.a.m.; every evening =
 *   in the evening = q.p.m.; at night = nightly = every night = once at night; at bedtime = before bed = q.h.s.
 *   "Daily" is not "every morning", and "at night" is not "at bedtime".
 * - as needed = p.r.n. = when needed = if needed; taper = tapering; wean = weaning; with meals,
 *   before meals, after meals and with food each their own.
 * - "biweekly" (twice a week or every two weeks) only matches itself.
 */
const PER = '(a|per|each|every)';

const TABLE = new PhraseTable([
  [
    '1/d',
    [
      'daily',
      'once daily',
      `once ${PER} day`,
      `(one time|1 time) ${PER} day`,
      '(one time|1 time) daily',
      'every day',
      'everyday',
      'each day',
      'per day',
      'on a daily basis',
      '(qd|qday|qdaily)',
    ],
  ],
  ['#/d', [`# (times|x) ${PER} day`, '# (times|x) daily', '# (times|x) / day']],
  ['2/d', ['twice daily', `twice ${PER} day`, '(bid|bd)']],
  ['3/d', ['thrice daily', `thrice ${PER} day`, '(tid|tds)']],
  ['4/d', ['(qid|qds)']],
  ['q1h', ['hourly', 'every hour', '(qh|q1h)']],
  ['q#h', ['every # (hours|hour|hrs|hr|h)', 'q # (hours|hour|hrs|hr|h)']],
  ['q#-#h', ['every # (-|to|or) # (hours|hrs|h)', 'q # - # (hours|hrs|h)']],
  ['q2d', ['every other day', 'every second day', '(on alternate days|alternate days|alternating days)', '(qod|qad)']],
  ['q#d', ['every # days']],
  ['qam', ['every morning', 'each morning', 'in the (morning|mornings)', 'first thing in the morning', '(qam|qmorning)']],
  ['qpm', ['every evening', 'each evening', 'in the (evening|evenings)', 'qpm']],
  ['night', ['(once|) at night', '(once|) nightly', 'every night', 'each night', 'at nighttime', 'at night time']],
  ['bedtime', ['(once|) at bedtime', 'at bed time', 'before (bed|bedtime)', 'before going to bed', '(qhs|hs|at hs)']],
  [
    '1/w',
    [
      'weekly',
      'once weekly',
      `once ${PER} week`,
      '(one time|1 time) (a|per) week',
      'every week',
      'each week',
      'per week',
      '(qweek|qwk|qw)',
    ],
  ],
  ['#/w', [`# (times|x) ${PER} week`, '# (times|x) weekly']],
  ['2/w', ['twice weekly', `twice ${PER} week`]],
  ['3/w', ['thrice weekly', `thrice ${PER} week`]],
  ['q2w', ['every other week', 'every second week']],
  ['q#w', ['every # weeks']],
  ['biweekly', ['biweekly', 'bi-weekly']],
  ['1/mo', ['monthly', 'once monthly', `once ${PER} month`, 'every month', 'each month', 'per month']],
  ['#/mo', [`# (times|x) ${PER} month`]],
  ['q2mo', ['every other month']],
  ['q#mo', ['every # months']],
  ['1/y', ['yearly', 'annually', `once ${PER} year`, 'every year']],
  ['prn', ['as needed', 'as-needed', 'prn', 'as necessary', 'when needed', 'if needed', 'when necessary', 'if necessary', 'as required']],
  ['taper', ['taper', 'tapering', 'tapered', 'tapers']],
  ['wean', ['wean', 'weaning', 'weaned']],
  ['with-meals', ['with meals', 'with each meal', 'with every meal']],
  ['before-meals', ['before meals', 'before each meal', 'before every meal']],
  ['after-meals', ['after meals', 'after each meal', 'after every meal']],
  ['with-food', ['with food']],
]);

/** "a day", "a week": a schedule only right after a dose or a count ("500 mg a day"; not "for a day"). */
const AFTER_AMOUNT = new PhraseTable([
  ['1/d', ['a day']],
  ['1/w', ['a week']],
  ['1/mo', ['a month']],
]);

/** Words after "daily" that make it describe life, not a dose: "daily activities". */
const NOT_A_DOSE = new Set(['activities', 'activity', 'life', 'living', 'routine', 'tasks', 'chores', 'basis']);

const INTERVAL_WORD = /^q(\d+)(?:-(\d+))?(?:h|hr|hrs|hours?)$/;

export function frequencyAt(tokens: readonly Token[], i: number, afterAmount: boolean): PhraseMatch | undefined {
  const t = tokens[i]!;
  const interval = t.kind === 'word' ? INTERVAL_WORD.exec(t.norm) : null;
  if (interval) return { key: interval[2] ? `q${interval[1]}-${interval[2]}h` : `q${interval[1]}h`, end: i + 1 };
  const found = TABLE.matchAt(tokens, i) ?? (afterAmount ? AFTER_AMOUNT.matchAt(tokens, i) : undefined);
  if (!found) return undefined;
  if (t.norm === 'daily' && found.end === i + 1 && NOT_A_DOSE.has(tokens[i + 1]?.norm ?? '')) return undefined;
  return found;
}
