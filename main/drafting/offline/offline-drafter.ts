import type { TranscriptSegment } from '../../../shared/domain/transcript.js';
import type { DraftedNote, DraftedSections } from '../drafted-content.js';
import { extractAllergy } from './allergies.js';
import { statedComplaint, symptomComplaint } from './complaint.js';
import type { Phase } from './cues.js';
import {
  ASSESSMENT_CUE,
  EXAM_INSTRUCTION,
  EXAM_START,
  FINDING,
  FOLLOW_UP,
  INSTRUCTION_CUE,
  PLAN_CUE,
  PLAN_HINT,
  PLAN_START,
  RESULT,
  RESULT_VERB,
  VOICE_COMMAND,
  clinicalWeight,
  hasSymptom,
} from './cues.js';
import type { PlannedMedication } from './medication-changes.js';
import { plannedMedications, withMedicationChanges } from './medication-changes.js';
import { extractMedications, takenMedications } from './medications.js';
import { normalizeSpeech } from './normalize.js';
import type { Pronouns } from './person.js';
import { PRONOUNS, openedOnPatient } from './person.js';
import { answerQuestion } from './questions.js';
import { groupReviewOfSystems } from './review-of-systems.js';
import {
  announced,
  rewriteClinicianHistory,
  rewriteExam,
  rewriteInstruction,
  rewritePatient,
  rewritePlan,
  rewriteResult,
  splitClauses,
  splitProblem,
  withoutFraming,
} from './rewrite.js';
import { ProblemList, historyProblems, impressionIn, problemAskedAbout } from './problems.js';
import { SectionCollector } from './section-collector.js';
import type { Sentence } from './sentences.js';
import { splitSentences } from './sentences.js';
import { finish, stripLeading, wordCount } from './style.js';
import { OPENING_QUESTION, complaintFromAnswer, reasonWords, saysReason } from './visit-reason.js';
import { extractVitals } from './vitals.js';

export interface OfflineDraftOptions {
  /** From the visit's patient context when known; else read from the transcript, else "they". */
  readonly sex?: 'female' | 'male' | 'other' | 'unknown' | undefined;
  /** The schedule's reason for visit: the chief complaint when the transcript says it and the patient's answer gives none. */
  readonly reasonForVisit?: string | undefined;
}

type Role = 'clinician' | 'patient';

interface Utterance {
  readonly segmentId: string;
  readonly role: Role;
  /** A relative or other third voice: heard as the patient's side, but not in the patient's own terms. */
  readonly otherVoice: boolean;
  readonly sentences: Sentence[];
}

function roleOf(segment: TranscriptSegment): Role {
  if (segment.speaker === 'clinician') return 'clinician';
  if (segment.speaker === 'patient' || segment.speaker === 'other') return 'patient';
  // Unlabelled speech: the clinician talks to "you", the patient about "I".
  const text = segment.text.toLowerCase();
  const you = (text.match(/\byou(?:r|'re|'ve)?\b/g) ?? []).length;
  const i = (text.match(/\b(?:i|me|my|i'm|i've)\b/g) ?? []).length;
  return you > i ? 'clinician' : 'patient';
}

/**
 * Speaker labels from diarisation (or another tool) are sometimes the wrong way round. The clinician
 * is the one who addresses the other as "you" — asking, examining, advising — so when the side
 * labelled patient does that several times more than the side labelled clinician, the labels are
 * swapped back. A clear imbalance is required; anything less leaves the labels as they are.
 */
function correctSwappedRoles(utterances: Utterance[]): Utterance[] {
  const you = { clinician: 0, patient: 0 };
  for (const u of utterances) for (const s of u.sentences) you[u.role] += (s.text.match(/\byou(?:r|'re|'ve|'ll)?\b/g) ?? []).length;
  if (you.patient < 20 || you.patient <= 3 * you.clinician) return utterances;
  return utterances.map((u) => ({ ...u, role: u.role === 'patient' ? 'clinician' : 'patient' }));
}

/** "I want you to push your leg against my hand": the exam, not the plan. */
const EXAM_MOVE =
  /\b(?:i want you to|can you|go ahead and) (?:just )?(?:move|push|pull|lie|lay|sit|stand|bend|squeeze|take a|look|follow|walk|raise|lift|relax|turn|open|breathe|cough|touch|point|straighten|flex|extend|kick|resist|hold|make a fist|stick out)\b/;

/**
 * Where the examination and the assessment begin, found before drafting so that one early remark
 * ("I want you to keep checking your sugars") does not end the history. The exam starts at the
 * clinician's first exam cue; the assessment at the first announced one after it ("for your first
 * problem", "my impression"), else at the first weaker sign of it after the exam (or, with no exam,
 * in the second half of the visit). Returns the phase of a clinician sentence.
 */
function visitPhases(utterances: readonly Utterance[]): (utterance: number, sentence: number) => Phase {
  type At = readonly [number, number];
  const clinician: { at: At; text: string }[] = [];
  utterances.forEach((u, i) => {
    if (u.role === 'clinician') u.sentences.forEach((s, k) => clinician.push({ at: [i, k], text: s.text }));
  });
  const before = (a: At, b: At) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const exam = clinician.find((c) => EXAM_START.test(c.text))?.at;
  const after = exam ?? ([Math.floor(utterances.length / 2), 0] as const);
  const afterExam = clinician.filter((c) => !before(c.at, after));
  const plan = afterExam.find((c) => PLAN_START.test(c.text) || (PLAN_HINT.test(c.text) && !EXAM_MOVE.test(c.text)))?.at;
  return (utterance, sentence) => {
    const at: At = [utterance, sentence];
    if (plan && !before(at, plan)) return 'plan';
    if (exam && !before(at, exam)) return 'exam';
    return 'history';
  };
}

/** The patient's sex as the clinician states it ("a 58-year-old male", "Mrs. Smith"), for pronouns. */
function inferPronouns(utterances: readonly Utterance[], sex: OfflineDraftOptions['sex']): Pronouns {
  if (sex === 'female' || sex === 'male') return PRONOUNS[sex];
  let female = 0;
  let male = 0;
  for (const u of utterances) {
    if (u.role !== 'clinician') continue;
    for (const s of u.sentences) {
      if (/\byear[- ]old (?:[a-z-]+ ){0,3}(?:female|woman|lady|girl)\b|\b(?:mrs|ms|miss)\b/.test(s.text)) female += 3;
      if (/\byear[- ]old (?:[a-z-]+ ){0,3}(?:male|man|gentleman|boy)\b|\bmr\b/.test(s.text)) male += 3;
      // Dictation about the patient ("he's here for…") counts for less: it can be about someone else.
      female += (s.text.match(/\b(?:she|she's|her|hers|herself)\b/g) ?? []).length / 4;
      male += (s.text.match(/\b(?:he|he's|his|him|himself)\b/g) ?? []).length / 4;
    }
  }
  if (female >= 2 && female > 2 * male) return PRONOUNS.female;
  if (male >= 2 && male > 2 * female) return PRONOUNS.male;
  return PRONOUNS.unknown;
}

/** "hey dragon, show me the chest x-ray": commands to a dictation assistant, not part of the visit. */
function withoutVoiceCommands(text: string): string {
  return text
    .replace(/\bhey,? (?:dragon|dax|computer)\b[,.]?\s*[^.?!]*[.?!]?/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "for your next problem": whatever problem was under discussion is done. */
const NEXT_PROBLEM = /\b(?:first|second|third|fourth|next|last|other|final)(?: [a-z]+)? (?:problem|issue|concern)\b/;

/** Narration that moves the visit along without saying anything clinical: "let's look at your results". */
const TRANSITION =
  /^(?:let's|let me|i(?:'m| am) going to|i want to|we(?:'re| are) going to|now,? )\s*(?:go ahead and |just )?(?:look at|take a look at|review|go over|talk about|pull up)\b/;

/** The clinician restating history: "you have a history of", "58-year-old male", "I see you're on". */
const HISTORY_RECAP =
  /\b(?:history of|year[- ]old|presents?|here (?:for|today)|you(?:'ve| have)(?: been)? (?:had|been|noticed|mentioned|told)|you(?:'re| are) (?:on|taking|still)|you (?:had|were|mentioned|said|told|noticed|reported|described|endorsed|denied)|diagnosed|i see (?:that|here|in)|your chart|you (?:take|use)|endorsing|denying)\b/;
const CHIT_CHAT =
  /\b(?:glad|sorry|great|nice|awesome|wonderful|weather|weekend|vacation|holiday|love|fun|enjoy|congratulations|kids?|dog|cat)\b/;

/** Greetings, thanks, scheduling chatter and acknowledgements: nothing a note keeps. */
const SMALL_TALK =
  /^(?:(?:hi|hello|hey|good (?:morning|afternoon|evening)|nice to (?:meet|see)|(?:it was |it's )?(?:good|great|nice) to (?:see|meet)|how are you|thank(?:s| you)|you're welcome|bye|goodbye|see you(?! (?:back|in|again))|take care|have a (?:good|great|nice)|sounds good|that sounds|got it|i see)\b|(?:okay|alright|sure|yes|yeah|no|right|mm|uh|wow|oh|cool|awesome|excellent|fine|perfect|great)(?:[,.!?]|$))/;

/**
 * The offline drafter: deterministic rules over the transcript, no model and no network. It walks
 * the visit in order, tracking the phase the clinician announces (history → exam → assessment and
 * plan), pairs each question with its answer, pulls medications, allergies and vitals out wherever
 * they are said, and writes each kept sentence in note style with the ids of the segments it came from.
 */
export function draftOffline(segments: readonly TranscriptSegment[], options: OfflineDraftOptions = {}): DraftedNote {
  const utterances = correctSwappedRoles(
    segments
      .map((segment) => ({
        segmentId: segment.id,
        role: roleOf(segment),
        otherVoice: segment.speaker === 'other',
        sentences: splitSentences(withoutVoiceCommands(normalizeSpeech(segment.text))),
      }))
      .filter((u) => u.sentences.length > 0),
  );
  const p = inferPronouns(utterances, options.sex);
  const out = new SectionCollector();
  const problems = new ProblemList(utterances.map((u) => u.sentences.map((s) => s.text).join(' ')).join(' '));
  const seenMeds = new Set<string>();
  const seenVitals = new Set<string>();
  /** The plan's last word on each medicine it starts, stops or re-doses. */
  const planChanges = new Map<string, PlannedMedication>();
  /**
   * rank 5: the patient's answer to the opening question; 4: the schedule's reason for visit, said
   * in the transcript; 3: the clinician stated it; 2: a symptom with its body part; 1: a bare symptom.
   */
  let complaint: { text: string; evidence: string[]; rank: number } | undefined = reasonComplaint(utterances, options.reasonForVisit);
  const offerComplaint = (s: string, evidence: string[]) => {
    if (!hasSymptom(s) || (complaint?.rank ?? 0) >= 2) return;
    const found = symptomComplaint(s);
    if (!found) return;
    const rank = found.includes(' ') ? 2 : 1;
    if (rank > (complaint?.rank ?? 0)) complaint = { text: found, evidence, rank };
  };
  const phaseAt = visitPhases(utterances);
  let phase: Phase = 'history';
  let position = 0;
  let lastQuestion: { text: string; segmentId: string } | undefined;
  let openingAsked = false;
  const firstThird = Math.max(4, Math.ceil(utterances.length / 3));

  const takeFacts = (sentence: string, evidence: string[], inPlan: boolean): boolean => {
    let took = false;
    for (const vital of extractVitals(sentence)) {
      if (seenVitals.has(vital.name)) continue;
      seenVitals.add(vital.name);
      out.add('vitals', vital.text, evidence);
      took = true;
    }
    const allergy = extractAllergy(sentence);
    if (allergy) {
      out.add('allergies', allergy, evidence);
      took = true;
    }
    if (inPlan) for (const planned of plannedMedications(sentence, evidence)) planChanges.set(planned.med.name, planned);
    if (!inPlan || /\bcontinue\b/.test(sentence)) {
      for (const med of takenMedications(sentence)) {
        if (seenMeds.has(med.name) || (inPlan && planChanges.has(med.name))) continue;
        seenMeds.add(med.name);
        out.add('medications', med.text, evidence);
      }
    }
    return took;
  };

  utterances.forEach((u, index) => {
    const evidence = [u.segmentId];
    position = 0;
    if (u.role === 'clinician') {
      lastQuestion = undefined;
      openingAsked = false;
      for (const sentence of u.sentences) {
        const s = sentence.text;
        if (VOICE_COMMAND.test(s)) continue;
        phase = phaseAt(index, position++);
        if (phase !== 'plan') {
          const asked = problemAskedAbout(s);
          if (asked) problems.name(asked, evidence, false);
          for (const listed of historyProblems(s)) problems.listed(listed, evidence);
          // Results read out before the plan can carry the impression: "what I see is a proximal humerus fracture".
          const seen = RESULT.test(s) || phase === 'exam' ? impressionIn(s) : undefined;
          if (seen) problems.impression(seen, evidence);
        }
        if (sentence.question) {
          lastQuestion = { text: s, segmentId: u.segmentId };
          if (index < firstThird && OPENING_QUESTION.test(s)) openingAsked = true;
          continue;
        }
        if (takeFacts(s, evidence, phase === 'plan') && wordCount(s) < 12) continue;
        if (index < firstThird && (complaint?.rank ?? 0) < 3) {
          const stated = statedComplaint(s);
          if (stated) complaint = { text: stated, evidence, rank: 3 };
          else offerComplaint(s, evidence);
        }
        clinicianSentence(s, evidence);
      }
      return;
    }

    // Patient (or family) speech: the first sentence may answer the clinician's last question.
    const [first, ...rest] = u.sentences;
    let remaining = u.sentences;
    // A question ("what about increasing my testosterone to 175 mg?") states no medicine taken.
    for (const sentence of u.sentences) if (!sentence.question) takeFacts(sentence.text, evidence, false);
    if (openingAsked && !u.otherVoice && (complaint?.rank ?? 0) < 5) {
      // The reason comes first in an answer; a symptom mentioned further on is history, not the complaint.
      const answered = u.sentences
        .slice(0, 2)
        .filter((s) => !s.question)
        .map((s) => complaintFromAnswer(s.text))
        .find((c) => c !== undefined);
      if (answered) complaint = { text: answered, evidence, rank: 5 };
    }
    openingAsked = false;
    if (lastQuestion && first) {
      const qa = answerQuestion(lastQuestion.text, first.text, p);
      for (const item of qa.sentences) out.add(item.section, item.text, [lastQuestion.segmentId, u.segmentId]);
      if (qa.consumed) remaining = rest;
    }
    lastQuestion = undefined;
    for (const sentence of remaining) {
      const s = sentence.text;
      if (sentence.question || phase !== 'history') continue;
      if (index < firstThird) offerComplaint(s, evidence);
      if (SMALL_TALK.test(stripLeading(s)) && clinicalWeight(s) === 0) continue;
      if (clinicalWeight(s) === 0 || wordCount(s) < 3) continue;
      // A bare list of medicines is already in the medication section.
      if (wordCount(s) <= 8 && takenMedications(s).length > 0) continue;
      const rewritten = rewritePatient(s, p);
      out.add(rewritten.negative ? 'ros' : 'hpi', rewritten.text, evidence);
    }
  });

  function clinicianSentence(s: string, evidence: string[]): void {
    if (SMALL_TALK.test(stripLeading(s)) && clinicalWeight(s) < 2) return;
    if (TRANSITION.test(stripLeading(s)) && wordCount(s) < 14) return;
    if (phase === 'history') {
      if (wordCount(s) < 4) return;
      // The clinician's side of the history is mostly questions; keep what recaps it.
      const recap = HISTORY_RECAP.test(s) || extractMedications(s).length > 0;
      if (!recap && (clinicalWeight(s) < 2 || CHIT_CHAT.test(s))) return;
      if (RESULT.test(s) && RESULT_VERB.test(s)) return out.add('exam', rewriteResult(s, p), evidence);
      out.add('hpi', rewriteClinicianHistory(s, p), evidence);
      return;
    }
    if (phase === 'exam') {
      if (EXAM_INSTRUCTION.test(s)) return;
      if (RESULT.test(s) && RESULT_VERB.test(s)) return out.add('exam', rewriteResult(s, p), evidence);
      if (FINDING.test(s) && wordCount(s) >= 2) out.add('exam', rewriteExam(s, p), evidence);
      return;
    }
    // Assessment and plan: split "X, and I want to Y" so each clause lands where it belongs.
    for (const clause of splitClauses(s)) {
      if (NEXT_PROBLEM.test(clause)) problems.close();
      const problem = splitProblem(clause);
      if (problem && problems.name(problem.problem, evidence, true)) {
        if (problem.rest) planClause(problem.rest, evidence);
      } else {
        planClause(clause, evidence);
      }
    }
  }

  function planClause(s: string, evidence: string[]): void {
    if (wordCount(s) < 3) return;
    // "this is consistent with a meniscus tear" with no problem under discussion opens one.
    const impression = problems.discussing ? undefined : impressionIn(s);
    if (impression) problems.name(impression, evidence, true);
    const section = announced(s);
    // "My assessment is essential hypertension, not well controlled": the problem is what it names.
    if (section === 'assessment' && !problems.discussing) problems.name(withoutFraming(stripLeading(s)).split(',')[0]!, evidence, true);
    // A plan that also says when to come back is the visit's plan, not one problem's.
    if (section === 'plan' && FOLLOW_UP.test(s)) {
      problems.close();
      return out.add('plan', rewritePlan(s, p), evidence);
    }
    if (section) return assessOrPlan(section, rewritePlan(s, p), evidence);
    if (INSTRUCTION_CUE.test(s)) return out.add('patient_instructions', rewriteInstruction(s, p), evidence);
    if (FOLLOW_UP.test(s)) {
      problems.close();
      return out.add('plan', rewritePlan(s, p), evidence);
    }
    if (RESULT.test(s) && RESULT_VERB.test(s) && !PLAN_CUE.test(s)) return out.add('exam', rewriteResult(s, p), evidence);
    if (ASSESSMENT_CUE.test(s) && !/\b(?:going to|want to|will|let's|'ll)\b/.test(s))
      return assessOrPlan('assessment', rewritePlan(s, p), evidence);
    if (PLAN_CUE.test(s)) return assessOrPlan('plan', rewritePlan(s, p), evidence);
    if (clinicalWeight(s) >= 2) assessOrPlan('assessment', rewritePlan(s, p), evidence);
  }

  /** An assessment or plan sentence goes with the problem under discussion, else with the whole visit. */
  function assessOrPlan(section: 'assessment' | 'plan', text: string, evidence: string[]): void {
    if (!problems.add(section, text, evidence)) out.add(section, text, evidence);
  }

  if (complaint) out.add('chief_complaint', complaint.text, complaint.evidence);
  const sections = groupReviewOfSystems(out.result());
  const drafted = problemOriented(sections, problems, complaint);
  const medications = withMedicationChanges(sections.medications, [...planChanges.values()]);
  if (medications) sections.medications = medications;
  const opening = sections.hpi?.[0];
  if (opening) sections.hpi![0] = { ...opening, text: openedOnPatient(opening.text) };
  return { sections, ...drafted, codes: [], drafter: { engine: 'offline' }, droppedCodes: 0 };
}

/**
 * The problems for the assessment and plan. When the plan named none, the visit's one problem is the
 * first impression stated (from results read out), else its chief complaint, and the assessment and
 * plan sentences said for the whole visit are about it (except follow-up, which stays the visit's).
 * The clinician's one-line summary ("58-year-old male with … who presents for …") opens the
 * assessment, as it opens a written one.
 */
function problemOriented(
  sections: DraftedSections,
  problems: ProblemList,
  complaint: { text: string; evidence: string[] } | undefined,
): Pick<DraftedNote, 'problems'> {
  const summary = sections.hpi?.find(
    (s) => /\b\d+-(?:year|month|week)-old\b/i.test(s.text) && /\b(?:presents?|here|for|with|who)\b/i.test(s.text),
  );
  let found = problems.result();
  const general = { assessment: sections.assessment ?? [], plan: sections.plan ?? [] };
  const visitProblem = problems.firstImpression
    ? found.find((p) => p.heading.text === problems.firstImpression)
    : complaint && { heading: { text: finish(complaint.text), evidence: complaint.evidence }, assessment: [], plan: [] };
  const forTheVisit = general.assessment.length > 0 || general.plan.some((s) => !FOLLOW_UP.test(s.text.toLowerCase()));
  if (problems.planProblems === 0 && visitProblem && forTheVisit) {
    const own = {
      heading: visitProblem.heading,
      assessment: [...visitProblem.assessment, ...general.assessment],
      plan: [...visitProblem.plan, ...general.plan.filter((s) => !FOLLOW_UP.test(s.text.toLowerCase()))],
    };
    found = [own, ...found.filter((p) => p.heading.text.toLowerCase() !== own.heading.text.toLowerCase())];
    general.assessment = [];
    general.plan = general.plan.filter((s) => FOLLOW_UP.test(s.text.toLowerCase()));
  }
  sections.assessment = [...(summary ? [summary] : []), ...general.assessment];
  sections.plan = general.plan;
  if (sections.assessment.length === 0) delete sections.assessment;
  if (sections.plan.length === 0) delete sections.plan;
  return { problems: found };
}

/** The schedule's reason for visit, cited to the first sentence in the visit's first third that says it. */
function reasonComplaint(
  utterances: readonly Utterance[],
  reason: string | undefined,
): { text: string; evidence: string[]; rank: number } | undefined {
  const words = reason ? reasonWords(reason) : [];
  if (!reason || words.length === 0) return undefined;
  const said = utterances
    .slice(0, Math.max(4, Math.ceil(utterances.length / 3)))
    .find((u) => u.sentences.some((s) => saysReason(words, s.text)));
  return said ? { text: reason.trim(), evidence: [said.segmentId], rank: 4 } : undefined;
}
