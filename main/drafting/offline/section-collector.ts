import type { SectionId } from '../../../shared/domain/note.js';
import type { DraftedSentence } from '../drafted-content.js';
import { extractFacts } from '../../evidence/fact-check/extract-facts.js';
import { inClinicalRegister } from './register.js';
import { finish, wordCount } from './style.js';

/** Sections where one word is a whole entry ("Cough.", "Finasteride."). */
const ONE_WORD_OK: ReadonlySet<SectionId> = new Set(['chief_complaint', 'medications', 'allergies', 'assessment']);

/** Sections of list entries (medicines, allergies, readings): written from extracted facts, not from speech. */
const LISTS: ReadonlySet<SectionId> = new Set(['medications', 'allergies', 'vitals']);

/** The facts the fact checker reads in a sentence (regimen, numbers, sides, what is denied), as one comparable string. */
function factSignature(text: string): string {
  const f = extractFacts(text);
  return JSON.stringify([
    f.medications.map((m) => m.key),
    f.regimen.map((r) => `${r.kind} ${r.key} ${r.drug ?? ''}`),
    f.numbers.map((n) => n.key),
    f.sides.map((s) => s.key),
    f.mentions.filter((m) => m.negated).map((m) => m.stem),
  ]);
}

/** Collects sentences per section, each with its evidence, dropping near-repeats that state the same facts. */
export class SectionCollector {
  private readonly sections = new Map<SectionId, { text: string; evidence: string[]; key: Set<string>; facts: string }[]>();

  add(section: SectionId, text: string, evidence: readonly string[]): void {
    const registered = LISTS.has(section) ? text : inClinicalRegister(text);
    if (registered === undefined) return;
    const finished = finish(registered);
    if (finished === '' || (wordCount(finished) < 2 && !ONE_WORD_OK.has(section))) return;
    const key = new Set(finished.toLowerCase().match(/[a-z0-9]+/g) ?? []);
    const facts = factSignature(finished);
    const list = this.sections.get(section) ?? [];
    for (const existing of list) {
      const shared = [...key].filter((t) => existing.key.has(t)).length;
      // "500 mg daily" and "500 mg twice daily" share most words but not their facts: both stay.
      if (shared / Math.min(key.size, existing.key.size) >= 0.85 && facts === existing.facts) {
        for (const id of evidence) if (!existing.evidence.includes(id)) existing.evidence.push(id);
        return;
      }
    }
    list.push({ text: finished, evidence: [...new Set(evidence)], key, facts });
    this.sections.set(section, list);
  }

  has(section: SectionId): boolean {
    return (this.sections.get(section)?.length ?? 0) > 0;
  }

  result(): Partial<Record<SectionId, DraftedSentence[]>> {
    const out: Partial<Record<SectionId, DraftedSentence[]>> = {};
    for (const [section, list] of this.sections) out[section] = list.map(({ text, evidence }) => ({ text, evidence }));
    return out;
  }
}
