import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { checkFacts } from '../../../main/evidence/fact-check.js';
import { extractFacts } from '../../../main/evidence/fact-check/extract-facts.js';
import { draftOffline } from '../../../main/drafting/offline/offline-drafter.js';
import { CORPORA, aciBenchVisits, mtsDialogVisits, parseCsv, primock57Visits } from '../../../bench/speaker-labelling.js';
import { skipWhen } from '../../helpers/skip.js';

/**
 * Issue 13, item 6: the offline drafter never alters a regimen. Real medication statements from the
 * public corpora in ../shared/corpora (read by path, never copied): what patients and clinicians say
 * in ACI-Bench, MTS-Dialog and PriMock57 visits, and what clinicians wrote in their reference notes
 * ("Plaquenil 200-mg b.i.d.", "Flagyl 500 mg every 8 hours"). Each is drafted as the patient's answer
 * to "What medicines are you taking?"; every drafted sentence citing it must pass the fact checker,
 * and a medication list entry that gives a regimen must hold exactly the doses, routes and
 * frequencies the statement gives that medicine (compared as the fact checker reads them).
 */
interface Statement {
  readonly source: string;
  readonly text: string;
}

/** Sentences of written notes, not cut after a dotted abbreviation ("p.o. b.i.d."). */
const noteSentences = (text: string) =>
  text
    .split(/(?<![a-z]\.[a-z]\.)(?<=[.?!])\s+|\n+/i)
    .map((s) => s.trim())
    .filter(Boolean);

function statements(): Statement[] {
  const out: Statement[] = [];
  const dialogue = (source: string, visits: ReturnType<typeof aciBenchVisits>) => {
    for (const v of visits) for (const s of v.segments) out.push({ source: `${source} ${v.id}`, text: s.text });
  };
  dialogue('aci-bench', [...aciBenchVisits('train'), ...aciBenchVisits('valid')]);
  dialogue('mts-dialog', [...mtsDialogVisits('train', CORPORA, 1), ...mtsDialogVisits('valid', CORPORA, 1)]);
  dialogue('primock57', primock57Visits());
  for (const split of ['train', 'valid']) {
    const file = join(CORPORA, 'aci-bench', 'data', 'challenge_data_json', `${split}.json`);
    if (!existsSync(file)) continue;
    const data = (JSON.parse(readFileSync(file, 'utf8')) as { data: { file: string; tgt: string }[] }).data;
    for (const d of data) for (const text of noteSentences(d.tgt)) out.push({ source: `aci-bench note ${d.file}`, text });
  }
  for (const name of ['MTS-Dialog-TrainingSet.csv', 'MTS-Dialog-ValidationSet.csv']) {
    const file = join(CORPORA, 'mts-dialog', 'Main-Dataset', name);
    if (!existsSync(file)) continue;
    const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
    const col = header!.indexOf('section_text');
    for (const r of rows) for (const text of noteSentences(r[col] ?? '')) out.push({ source: `mts-dialog note ${r[0]}`, text });
  }
  const notes = join(CORPORA, 'primock57', 'notes');
  if (existsSync(notes)) {
    for (const f of readdirSync(notes).filter((n) => n.endsWith('.json'))) {
      const note = (JSON.parse(readFileSync(join(notes, f), 'utf8')) as { note: string }).note;
      for (const text of noteSentences(note)) out.push({ source: `primock57 note ${f}`, text });
    }
  }
  return out;
}

/** Where a medicine's regimen ends in a statement: a new clause, a new subject, "for pain", "from 10 mg to 20 mg". */
const CUT = new Set(
  'i you he she we they it that which who but because so if when while for from since until although along plus rather instead unless'.split(
    ' ',
  ),
);
/** Words that may stand right before a dose without naming another medicine ("up to 10 mg", "a total of 8 mg"). */
const BEFORE_DOSE = new Set([
  'of',
  'to',
  'at',
  'is',
  'was',
  'take',
  'taking',
  'about',
  'around',
  'approximately',
  'and',
  'then',
  'on',
  'be',
  'taken',
  ',',
  '-',
  'the',
  'half',
]);

/**
 * Each medicine's doses, routes and frequencies as the fact checker reads them, taken independently
 * of the drafter's rule: everything from the name to the end of its clause (cut at . ; : ? ! ( ), at
 * the words above, at another medicine, or at a word naming something before its own dose), and a
 * dose said just before "of <medicine>". "metformin" → ["dose 500 mg", "frequency 2/d"].
 */
function regimens(text: string): Map<string, string[]> {
  const facts = extractFacts(text.replace(/\b(?:um|uh|you know|i mean)\b,?/gi, ' '));
  const { tokens } = facts;
  const out = new Map<string, string[]>();
  for (const med of facts.medications) {
    if (out.has(med.key)) continue;
    const list: string[] = [];
    const of =
      tokens[med.from - 1]?.norm === 'of'
        ? med.from - 1
        : ['the', 'your', 'my', 'some'].includes(tokens[med.from - 1]?.norm ?? '') && tokens[med.from - 2]?.norm === 'of'
          ? med.from - 2
          : -1;
    const before = facts.regimen.find((r) => r.kind === 'dose' && r.to === of);
    if (before) list.push(`dose ${before.key}`);
    let k = med.to;
    while (k < tokens.length) {
      const fact = facts.regimen.find((r) => r.from === k);
      if (fact) {
        list.push(`${fact.kind} ${fact.key}`);
        k = fact.to;
        continue;
      }
      const t = tokens[k]!;
      const namesAnother =
        t.kind === 'word' && !BEFORE_DOSE.has(t.norm) && facts.regimen.some((r) => r.kind === 'dose' && r.from === k + 1);
      if (/^[.;:?!()]$/.test(t.norm) || CUT.has(t.norm) || facts.medications.some((m) => m.from === k) || namesAnother) break;
      k += 1;
    }
    out.set(med.key, list.sort());
  }
  return out;
}

/** A statement of medicines with a dose or frequency, short enough to be one statement. */
function isMedicationStatement(text: string): boolean {
  if (text.split(/\s+/).length > 40) return false;
  const facts = extractFacts(text);
  return facts.medications.length > 0 && facts.regimen.some((r) => r.drug !== undefined && (r.kind === 'dose' || r.kind === 'frequency'));
}

const QUESTION = 'What medicines are you taking?';

const all = statements().filter((s) => isMedicationStatement(s.text));
const unique = [...new Map(all.map((s) => [s.text.toLowerCase(), s])).values()];

describe(
  'the offline drafter keeps every regimen as said (corpus statements)',
  skipWhen(unique.length ? false : `no corpus in ${CORPORA}`),
  () => {
    test(`at least 50 medication statements, covering twice daily, b.i.d., every N hours, as needed, taper (${unique.length} found)`, () => {
      assert.ok(unique.length >= 50, `${unique.length} statements`);
      const frequencies = new Set(
        unique.flatMap((s) =>
          extractFacts(s.text)
            .regimen.filter((r) => r.kind === 'frequency')
            .map((r) => r.key),
        ),
      );
      for (const key of ['1/d', '2/d', '3/d', 'prn', 'q6h', 'q8h', 'taper', 'qam'])
        assert.ok(frequencies.has(key), `no statement says ${key}`);
      assert.ok(
        unique.some((s) => /\bb\.i\.d\b/i.test(s.text)),
        'no statement writes b.i.d.',
      );
    });

    test('every drafted sentence citing a statement passes the fact checker, and each listed medicine keeps exactly its regimen', () => {
      const failures: string[] = [];
      let listed = 0;
      for (const s of unique) {
        const note = draftOffline([
          { id: 'q', startMs: 0, endMs: 2000, speaker: 'clinician', text: QUESTION },
          { id: 's', startMs: 2000, endMs: 6000, speaker: 'patient', text: s.text },
        ]);
        const said = regimens(s.text);
        for (const sentences of Object.values(note.sections)) {
          for (const sentence of sentences ?? []) {
            if (!sentence.evidence.includes('s')) continue;
            const evidence = sentence.evidence.map((id) => (id === 'q' ? QUESTION : s.text));
            const unmatched = checkFacts(sentence.text, evidence);
            if (unmatched.length) failures.push(`${s.source}: "${s.text}" → "${sentence.text}": ${JSON.stringify(unmatched)}`);
          }
        }
        for (const entry of note.sections.medications ?? []) {
          const drafted = regimens(entry.text);
          const [drug] = drafted.keys();
          // A bare name ("Albuterol.") states no regimen to alter; one with a dose or frequency must state all of it.
          if (!drug || !said.has(drug) || drafted.get(drug)!.length === 0) continue;
          listed += 1;
          const want = said.get(drug)!;
          const got = drafted.get(drug)!;
          if (JSON.stringify(want) !== JSON.stringify(got))
            failures.push(`${s.source}: "${s.text}" → "${entry.text}": ${drug} ${JSON.stringify(got)}, said ${JSON.stringify(want)}`);
        }
      }
      assert.deepEqual(failures, [], failures.join('\n'));
      assert.ok(listed >= 50, `only ${listed} medication entries drafted`);
    });
  },
);
