import type { DraftRequest, DraftResult } from '../../shared/domain/drafting.js';
import type { Actor } from '../kernel/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import { ScribeError } from '../kernel/errors.js';
import type { Logger } from '../log/logger.js';
import type { NoteRepository } from '../notes/note-repository.js';
import type { NoteService } from '../notes/note-service.js';
import type { VisitRecords } from '../store/visit-repository.js';
import type { TranscriptService } from '../transcripts/transcript-service.js';
import { basisOf } from '../evidence/evidence-basis.js';
import { assembleNote } from './assemble-note.js';
import type { SuggestionInput } from '../coding/code-suggestions.js';
import type { CodeSuggestion } from '../../shared/domain/note.js';
import { withSuggestedCodes } from './suggested-codes.js';
import type { CodeValidator } from '../coding/code-validator.js';
import type { DraftedNote } from './drafted-content.js';
import type { LlmConfigResult } from './llm/llm-config.js';
import { HOW_TO_CONFIGURE, llmBaseUrl } from './llm/llm-config.js';
import type { LlmDrafter } from './llm/llm-drafter.js';
import { createLlmDrafter } from './llm/llm-drafter.js';
import { LlmError } from './llm/llm-error.js';
import { draftOffline } from './offline/offline-drafter.js';
import { TEMPLATES } from './templates.js';
import { draftForbidden, noteHasEdits, transcriptEmpty, transcriptNotFinal } from './drafting-errors.js';
import { noteSignedLocked } from '../notes/note-errors.js';
import { transcriptNotFound } from '../transcripts/transcript-errors.js';
import { visitNotFound } from '../store/errors.js';

export interface DraftingService {
  draft(request: DraftRequest, actor: Actor): Promise<DraftResult>;
}

export interface DraftingServiceDeps {
  readonly visits: Pick<VisitRecords, 'get'>;
  readonly transcripts: TranscriptService;
  readonly notes: NoteService;
  readonly noteRepository: NoteRepository;
  readonly audit: AuditLog;
  readonly logger: Logger;
  /** Read at each call, so configuration can change without a restart; undefined means none. */
  readonly llmConfig?: (() => LlmConfigResult) | undefined;
  readonly validateCode: CodeValidator;
  /** ICD-10-CM suggestions from the draft's assessment (main/coding); only billable codes of the code set in use. */
  readonly suggestCodes?: ((input: SuggestionInput) => CodeSuggestion[]) | undefined;
  /** The machine policy's say (throws a typed error when the engine, or that service address, is not allowed). */
  readonly assertEngineAllowed?: ((engine: 'llm' | 'offline', baseUrl?: string) => void) | undefined;
  /** Tests swap the network client; production builds it from the configuration. */
  readonly createLlmDrafter?: typeof createLlmDrafter;
}

const EDITORS = new Set(['clinician', 'scribe']);

/**
 * Drafts a visit's note from its final transcript and saves it as a 'draft' revision. The model
 * call happens outside any transaction; the save is checked against the revision read before it,
 * so an edit made while the model was working is never overwritten (the draft is refused instead).
 */
export function createDraftingService(deps: DraftingServiceDeps): DraftingService {
  const makeLlm = deps.createLlmDrafter ?? createLlmDrafter;

  const allow = deps.assertEngineAllowed ?? (() => undefined);

  function llm(): { ok: true; drafter: LlmDrafter; baseUrl: string } | { ok: false; problem: string } {
    const settings = deps.llmConfig?.() ?? { ok: false as const, problem: `No language model is configured: ${HOW_TO_CONFIGURE}.` };
    if (!settings.ok) return settings;
    return {
      ok: true,
      drafter: makeLlm(settings.config, { validateCode: deps.validateCode, logger: deps.logger }),
      baseUrl: llmBaseUrl(settings.config),
    };
  }

  return {
    async draft(request, actor) {
      const { visitId } = request;
      if (!EDITORS.has(actor.role)) throw draftForbidden();
      const visit = deps.visits.get(visitId);
      if (!visit) throw visitNotFound();
      const transcript = deps.transcripts.read(visitId);
      if (!transcript) throw transcriptNotFound();
      if (!transcript.final) throw transcriptNotFinal();
      if (transcript.segments.length === 0) throw transcriptEmpty();
      const current = deps.noteRepository.get(visitId);
      if (current?.signedRevision !== undefined) throw noteSignedLocked();
      const edited = deps.noteRepository.revisions(visitId).filter((r) => r.kind !== 'draft');
      if (edited.length > 0 && !request.replaceEdits) {
        throw noteHasEdits(edited.length);
      }
      const baseRevision = current?.note.revision ?? 0;
      const template = TEMPLATES[request.template];

      const offline = (): DraftedNote => {
        allow('offline');
        return draftOffline(transcript.segments, { sex: visit.patient.sex, reasonForVisit: visit.patient.reasonForVisit });
      };
      /** The model's note, or the typed reason it could not be used. */
      const viaLlm = async (): Promise<DraftedNote | ScribeError> => {
        const model = llm();
        if (!model.ok) return new LlmError('not_configured', model.problem);
        try {
          allow('llm', model.baseUrl);
        } catch (error) {
          if (error instanceof ScribeError) return error;
          throw error;
        }
        // Recorded before sending: the transcript leaves this machine for the configured service.
        deps.audit.append({ actor: actor.id, action: 'drafting.llm_requested', objectType: 'visit', objectId: visitId });
        try {
          return await model.drafter.draft({
            segments: transcript.segments,
            template,
            identifiers: {
              displayName: visit.patient.displayName,
              mrn: visit.patient.mrn,
              birthDate: visit.patient.birthDate,
              patientId: visit.patientId,
              encounterId: visit.encounterId,
            },
          });
        } catch (error) {
          if (error instanceof LlmError) return error;
          throw error;
        }
      };

      const started = performance.now();
      let drafted: DraftedNote;
      let fallback: string | undefined;
      if (request.engine === 'offline') {
        drafted = offline();
      } else {
        const result = await viaLlm();
        if (result instanceof ScribeError) {
          // Only 'auto' asked for the fallback; 'llm' reports why the model could not draft.
          if (request.engine === 'llm') throw result;
          deps.logger.warn('drafting.fallback', { visitId, failure: result instanceof LlmError ? result.failure : result.code });
          drafted = offline();
          fallback = result.message;
        } else {
          drafted = result;
        }
      }

      const assembled = assembleNote(visitId, template, drafted, transcript.segments);
      const { unsupportedSentences } = assembled;
      const draft = withSuggestedCodes(assembled.draft, transcript.segments, deps.suggestCodes);
      const note = deps.notes.save(visitId, baseRevision, draft, actor, 'draft', basisOf(transcript.segments));
      deps.logger.info('drafting.saved', {
        visitId,
        engine: drafted.drafter.engine,
        template: template.id,
        revision: note.revision,
        sentences: draft.sections.reduce((n, s) => n + s.sentences.length, 0),
        unsupported: unsupportedSentences,
        droppedCodes: drafted.droppedCodes,
        ms: Math.round(performance.now() - started),
      });
      return {
        note,
        ...(fallback === undefined ? {} : { fallback: { reason: fallback } }),
        unsupportedSentences,
        droppedCodes: drafted.droppedCodes,
      };
    },
  };
}
