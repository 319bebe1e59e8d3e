import type { CodeSuggestion, Note } from '../../shared/domain/note.js';
import { renderNoteText, renderSignedNoteText } from '../../shared/domain/note-text.js';
import type { OutboxRoute } from '../../shared/domain/outbox.js';
import type { UnsupportedSummary } from '../../shared/domain/unsupported-sentences.js';
import { unsupportedSummary } from '../../shared/domain/unsupported-sentences.js';
import type { Visit, VisitState } from '../../shared/domain/visit.js';
import type { VisitId } from '../../shared/ids.js';
import type { CodeValidator } from '../coding/code-validator.js';
import { checkAgainstCodeSet } from '../coding/code-validator.js';
import { noteEvidence } from '../evidence/note-evidence.js';
import type { AddendumRepository } from '../notes/addendum-repository.js';
import { openAddendum } from '../notes/addendum-service.js';
import { noteNotFound } from '../notes/note-errors.js';
import type { NoteRepository } from '../notes/note-repository.js';
import { visitNotFound } from '../store/errors.js';
import type { VisitRecords } from '../store/visit-repository.js';
import { isLegalMove, VISIT_STATES } from '../visits/lifecycle.js';
import type { SignedNotePayload } from '../writeback/delivery.js';
import type { TranscriptRepository } from '../transcripts/transcript-repository.js';
import type { OutboxRepository } from '../writeback/outbox-repository.js';
import type { SignedKind } from './signing-errors.js';
import {
  acceptedCodeNotBillable,
  emptyText,
  noOpenAddendum,
  noteAlreadySigned,
  noteNotSigned,
  originalNotQueued,
  revisionChanged,
  visitNotSignable,
} from './signing-errors.js';

/**
 * What a signature covers, read from the store inside the signing transaction. The request names
 * only the visit and the revision the signer reviewed; everything signed and sent comes from here.
 */
export interface SignedContent {
  readonly kind: SignedKind;
  readonly visit: Visit;
  /** The note; for an addendum, the signed original it adds to. */
  readonly note: Note;
  /** Exactly the words signed (the note, then its accepted diagnoses): what the attestation's hash covers and the EHR receives. */
  readonly text: string;
  /** The stored revision holding `text`. */
  readonly revision: number;
  /** 0 for the note itself, n for addendum n. */
  readonly seq: number;
  /** Accepted codes sent with the note, re-checked and described by the code set in use; none with an addendum. */
  readonly codes: readonly CodeSuggestion[];
  /** Drafted sentences the current transcript does not back (recomputed here); none in an addendum (the clinician's own words). */
  readonly unsupported: UnsupportedSummary;
  readonly route: OutboxRoute;
  /** For an addendum: the original note's job, which it is sent after and on the same route. */
  readonly follows: { readonly jobId: string; readonly idempotencyKey: string } | undefined;
}

/** Who signs, as the EHR will be told (the payload's practitioner). */
export type Signer = SignedNotePayload['practitioner'];

export interface ContentSources {
  readonly notes: NoteRepository;
  readonly addenda: AddendumRepository;
  readonly visits: Pick<VisitRecords, 'get'>;
  readonly outbox: Pick<OutboxRepository, 'forVisit'>;
  readonly transcripts: Pick<TranscriptRepository, 'get'>;
  /** The code set in use. */
  readonly validateCode: CodeValidator;
  /** Where signed notes go (site configuration or machine policy). */
  readonly route: () => OutboxRoute;
}

/** States a visit with an unsigned note can be signed in (the lifecycle's moves to 'signed'): never while audio is being recorded. */
export const SIGNABLE_STATES: readonly VisitState[] = VISIT_STATES.filter((state) => isLegalMove(state, 'signed'));

const NOTHING_UNSUPPORTED: UnsupportedSummary = { count: 0, sections: [] };

export function noteContent(sources: ContentSources, visitId: VisitId, revision: number): SignedContent {
  const visit = sources.visits.get(visitId);
  if (!visit) throw visitNotFound();
  const stored = sources.notes.get(visitId);
  if (!stored) throw noteNotFound();
  if (stored.signedRevision !== undefined) throw noteAlreadySigned();
  if (stored.note.revision !== revision) throw revisionChanged('note', stored.note.revision);
  if (!SIGNABLE_STATES.includes(visit.state)) throw visitNotSignable('note', visit.state);
  if (renderNoteText(stored.note).trim() === '') throw emptyText('note');
  const codes = acceptedCodes(stored.note.codes, sources.validateCode);
  const text = renderSignedNoteText({ sections: stored.note.sections, codes });
  // Support as the transcript stands now, not as saved: it may have been replaced since.
  const evidence = noteEvidence(stored.note.sections, sources.transcripts.get(visitId)?.segments ?? [], stored.basis);
  return {
    kind: 'note',
    visit,
    note: stored.note,
    text,
    revision,
    seq: 0,
    codes,
    unsupported: unsupportedSummary({ sections: evidence.sections }),
    route: sources.route(),
    follows: undefined,
  };
}

export function addendumContent(sources: ContentSources, visitId: VisitId, revision: number): SignedContent {
  const visit = sources.visits.get(visitId);
  if (!visit) throw visitNotFound();
  const stored = sources.notes.get(visitId);
  if (!stored) throw noteNotFound();
  if (stored.signedRevision === undefined) throw noteNotSigned();
  const { open } = openAddendum(sources.addenda, visitId);
  if (!open) throw noOpenAddendum();
  if (open.revision !== revision) throw revisionChanged('addendum', open.revision);
  if (open.text.trim() === '') throw emptyText('addendum');
  const original = sources.outbox.forVisit(visitId).find((job) => !job.addendum);
  if (!original) throw originalNotQueued();
  return {
    kind: 'addendum',
    visit,
    note: stored.note,
    text: open.text,
    revision,
    seq: open.seq,
    codes: [],
    unsupported: NOTHING_UNSUPPORTED,
    route: original.route,
    follows: { jobId: original.id, idempotencyKey: original.idempotencyKey },
  };
}

/** The accepted codes as the code set in use has them; any that is not billable there stops the signature. */
function acceptedCodes(codes: readonly CodeSuggestion[], validate: CodeValidator): CodeSuggestion[] {
  const checked = checkAgainstCodeSet(
    codes.filter((code) => code.status === 'accepted'),
    validate,
  );
  if (checked.refused.length > 0) throw acceptedCodeNotBillable(checked.refused);
  return checked.codes;
}
