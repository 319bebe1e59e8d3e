import type { CodeSuggestion, NoteSection, NoteSentence, SectionId } from '../../shared/domain/note.js';
import type { VisitId } from '../../shared/ids.js';
import type { TranscriptSegment } from '../../shared/domain/transcript.js';
import { checkSentence, evidenceSource, supportFrom } from '../evidence/sentence-check.js';
import type { NoteDraft } from '../notes/note-service.js';
import type { DraftedNote, DraftedSentence } from './drafted-content.js';
import type { NoteTemplate } from './templates.js';
import { targetSection } from './templates.js';

export interface AssembledNote {
  readonly draft: NoteDraft;
  readonly unsupportedSentences: number;
}

/**
 * The drafter's sections with its problems placed as the template asks: under 'by-problem' each
 * problem's heading, assessment and plan follow the assessment said for the whole visit; under
 * 'separate' headings and assessments go to the assessment, plan items to the plan, problem by problem.
 */
function laidOut(template: NoteTemplate, drafted: DraftedNote): [SectionId, readonly DraftedSentence[] | undefined][] {
  const sections = { ...drafted.sections };
  const problems = drafted.problems ?? [];
  if (problems.length > 0) {
    const assessment = [...(sections.assessment ?? [])];
    const plan: DraftedSentence[] = [];
    for (const problem of problems) {
      assessment.push(problem.heading, ...problem.assessment);
      (template.assessmentPlan === 'by-problem' ? assessment : plan).push(...problem.plan);
    }
    sections.assessment = assessment;
    sections.plan = [...plan, ...(sections.plan ?? [])];
  }
  return Object.entries(sections) as [SectionId, DraftedSentence[] | undefined][];
}

/**
 * Turns a drafter's output into the note model: sections in the template's order under its titles,
 * sentence ids, and the evidence check every engine goes through (main/evidence): a sentence is
 * 'supported' only when it cites at least one segment, every segment it cites exists in this visit's
 * transcript, and the facts it states (doses, frequencies, numbers, negations…) are in those lines.
 * A segment id the transcript does not hold stays cited, so a reviewer sees it named as missing.
 */
export function assembleNote(
  visitId: VisitId,
  template: NoteTemplate,
  drafted: DraftedNote,
  segments: readonly Pick<TranscriptSegment, 'id' | 'text'>[],
): AssembledNote {
  const source = evidenceSource(segments, undefined);
  const bySection = new Map<SectionId, NoteSentence[]>(template.sections.map((s) => [s.id, []]));
  let next = 1;
  let unsupported = 0;
  for (const [section, sentences] of laidOut(template, drafted)) {
    const target = targetSection(template, section);
    if (!target || !sentences) continue;
    for (const sentence of sentences) {
      const text = sentence.text.replace(/\s+/g, ' ').trim();
      if (text === '') continue;
      const evidence = [...new Set(sentence.evidence)];
      const check = checkSentence({ text, evidence }, source);
      const support = supportFrom({ evidence }, check);
      if (support === 'unsupported') unsupported += 1;
      bySection.get(target)!.push({ id: `s${next++}`, text, evidence, support, origin: 'drafted', check });
    }
  }
  const sections: NoteSection[] = template.sections.map((s) => ({ id: s.id, title: s.title, sentences: bySection.get(s.id)! }));

  const sentencesCiting = (segments: readonly string[]) => {
    const wanted = new Set(segments);
    const hits = sections.flatMap((section) =>
      section.sentences.filter((s) => s.evidence.some((id) => wanted.has(id))).map((s) => ({ section: section.id, id: s.id })),
    );
    // The assessment is where a code's reason is written; other sections only when it has none.
    const assessed = hits.filter((h) => h.section === 'assessment');
    return (assessed.length > 0 ? assessed : hits).map((h) => h.id);
  };
  const seen = new Set<string>();
  const codes: CodeSuggestion[] = [];
  for (const code of drafted.codes) {
    if (seen.has(code.code)) continue;
    seen.add(code.code);
    codes.push({
      code: code.code,
      description: code.description,
      rank: codes.length + 1,
      evidence: sentencesCiting(code.evidence),
      status: 'suggested',
    });
  }
  return { draft: { visitId, template: template.id, sections, codes, drafter: { ...drafted.drafter } }, unsupportedSentences: unsupported };
}
