import type { SectionId } from '../../../shared/domain/note.js';
import type { DraftedSentence } from '../drafted-content.js';
import { hasSymptom } from './cues.js';
import { ROS_SYSTEMS } from './lexicon.js';

const systemOf = (item: string) => ROS_SYSTEMS.find(([, pattern]) => pattern.test(item.toLowerCase()))?.[0];

/**
 * One denial can cover several systems ("headaches or chest pain"): each symptom then goes under its
 * own system. A list within one system, or with a part that is no symptom of a system ("swelling in
 * the legs and ankles"), stays whole.
 */
function bySystem(denied: string): { system: string; item: string }[] | undefined {
  const parts = denied
    .split(/,\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+/)
    .map((part) => part.trim())
    .filter((part) => part !== '' && !/^(?:anything(?: else)?|etc|things like that)$/.test(part));
  const systems = parts.map(systemOf);
  if (parts.length > 1 && systems.every(Boolean) && parts.every(hasSymptom) && new Set(systems).size > 1)
    return parts.map((item, i) => ({ system: systems[i]!, item }));
  const system = systemOf(denied);
  return system ? [{ system, item: denied }] : undefined;
}

/** "Denies fever." "Denies chills." → "Constitutional: Denies fever and chills." as notes group them by system. */
export function groupReviewOfSystems(
  sections: Partial<Record<SectionId, DraftedSentence[]>>,
): Partial<Record<SectionId, DraftedSentence[]>> {
  const ros = sections.ros;
  if (!ros || ros.length === 0) return sections;
  const groups = new Map<string, { items: string[]; evidence: Set<string> }>();
  const other: DraftedSentence[] = [];
  for (const sentence of ros) {
    const m = /^Denies (.+)\.$/.exec(sentence.text);
    const placed = m ? bySystem(m[1]!) : undefined;
    if (!placed) {
      other.push(sentence);
      continue;
    }
    for (const { system, item } of placed) {
      const group = groups.get(system) ?? { items: [], evidence: new Set<string>() };
      group.items.push(item);
      for (const id of sentence.evidence) group.evidence.add(id);
      groups.set(system, group);
    }
  }
  const grouped: DraftedSentence[] = ROS_SYSTEMS.filter(([system]) => groups.has(system)).map(([system]) => {
    const g = groups.get(system)!;
    const list = g.items.length === 1 ? g.items[0]! : `${g.items.slice(0, -1).join(', ')} and ${g.items.at(-1)!}`;
    return { text: `${system}: Denies ${list}.`, evidence: [...g.evidence] };
  });
  return { ...sections, ros: [...grouped, ...other] };
}
