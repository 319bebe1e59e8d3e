import { useId, useMemo, useState } from 'react';
import type { CodeSuggestion, Note } from '../../../shared/domain/note.js';
import { renderSignedNoteText } from '../../../shared/domain/note-text.js';
import { unsupportedSummary } from '../../../shared/domain/unsupported-sentences.js';
import { useApp } from '../app-context.js';
import { AddendaPanel } from '../components/AddendaPanel.js';
import { CodePanel } from '../components/CodePanel.js';
import { CopyButton } from '../components/CopyButton.js';
import { DeliveryProgress } from '../components/DeliveryProgress.js';
import { DraftControls } from '../components/DraftControls.js';
import type { SentenceSelection } from '../components/NoteEditor.js';
import { NoteEditor } from '../components/NoteEditor.js';
import { RevisionHistory } from '../components/RevisionHistory.js';
import { CodesSent, NoteSignDetails } from '../components/NoteSignDetails.js';
import { SignDialog } from '../components/SignDialog.js';
import { TranscriptPane } from '../components/TranscriptPane.js';
import { VisitHeading } from '../components/VisitHeading.js';
import { errorText } from '../error-text.js';
import { destinationOf, signedTitle } from '../outbox-advice.js';
import { useAutoDraft } from '../hooks/useAutoDraft.js';
import { useCaptureStatus } from '../hooks/useCaptureStatus.js';
import { useNoteDocument } from '../hooks/useNoteDocument.js';
import { useOutbox } from '../hooks/useOutbox.js';
import { usePlayback } from '../hooks/usePlayback.js';
import { useSettings } from '../hooks/useSettings.js';
import { useTranscript } from '../hooks/useTranscript.js';
import { useTranscription } from '../hooks/useTranscription.js';
import { TranscriptionProgress } from '../components/TranscriptionProgress.js';
import { TranscriptionFailedPanel } from '../components/TranscriptionFailedPanel.js';
import { useVisit } from '../hooks/useVisit.js';
import { agree, plural } from '../format.js';
import type { NoteSnapshot } from '../note/note-document.js';
import { wholeNoteText } from '../note/note-copy.js';
import { routeHref } from '../routes.js';

/** Who the app's own drafts are by (main/visits/visit-pipeline.ts). */
const AUTO_DRAFT_AUTHOR = 'system:auto-draft';

interface Evidence {
  readonly ids: ReadonlySet<string>;
  readonly label: string;
  readonly sentenceId?: string | undefined;
}

function SaveStatus({ note }: { note: NoteSnapshot }) {
  if (note.status !== 'ready') return null;
  if (note.save === 'error') {
    return (
      <p className="save-status save-error" role="alert">
        {note.message}
      </p>
    );
  }
  const text =
    note.save === 'saving'
      ? 'Saving…'
      : note.save === 'pending'
        ? 'Editing…'
        : note.signed
          ? 'Signed and locked'
          : `All changes saved (revision ${note.stored?.revision ?? 0})`;
  return <p className={`save-status save-${note.save}`}>{text}</p>;
}

/** Review of one visit: transcript with audio on one side, the note and its codes on the other, then sign-off. */
export function ReviewView({ visitId }: { visitId: string }) {
  const { api, user, announce } = useApp();
  const visit = useVisit(api, visitId);
  const transcript = useTranscript(api, visitId);
  const transcription = useTranscription(api, visitId);
  const { doc, note } = useNoteDocument(api, visitId);
  const settings = useSettings(api);
  const capture = useCaptureStatus(api, visitId);
  const playback = usePlayback(api, visitId);
  const outbox = useOutbox(api);
  const autoDraft = useAutoDraft(api, visitId);
  const [evidence, setEvidence] = useState<Evidence | undefined>(undefined);
  const [signing, setSigning] = useState(false);
  const [actionError, setActionError] = useState<string | undefined>(undefined);
  const [draftSummary, setDraftSummary] = useState<string | undefined>(undefined);
  const onDrafted = (_result: unknown, summary: string) => setDraftSummary(summary);
  const runDraft = <T,>(operation: () => Promise<T>) => doc.ownChange(operation);
  const noteHeading = useId();
  const signHeading = useId();

  const role = user?.role;
  const editor = role === 'clinician' || role === 'scribe';
  const signingRoles = settings.view?.settings.signingRoles.value ?? ['clinician'];
  const maySign = role !== undefined && signingRoles.includes(role);
  const readOnly = !editor || note.signed;
  // The original note's job; addenda have their own (shown with each addendum).
  const job = useMemo(() => outbox.jobs?.find((candidate) => candidate.visitId === visitId && !candidate.addendum), [outbox.jobs, visitId]);
  const emptyIds = useMemo(() => new Set<string>(), []);
  const destination = settings.view ? destinationOf(settings.view) : undefined;

  const selectSentence = (selection: SentenceSelection | undefined) => {
    if (!selection) return setEvidence(undefined);
    const count = selection.sentence.evidence.length;
    setEvidence({
      ids: new Set(selection.sentence.evidence),
      sentenceId: selection.sentence.id,
      label:
        count === 0
          ? 'The selected sentence has no transcript evidence.'
          : `${plural(count, 'transcript line', 'transcript lines')} behind the selected ${selection.sectionTitle} sentence ${agree(count, 'is', 'are')} highlighted.`,
    });
  };

  // A code's evidence names the note sentences that give its reason (or, from some engines, transcript lines directly).
  const showCodeEvidence = (code: CodeSuggestion) => {
    const sentences = new Map(
      (note.content?.sections ?? []).flatMap((section) => section.sentences.map((s) => [s.id, s.evidence] as const)),
    );
    const ids = new Set(code.evidence.flatMap((id) => sentences.get(id) ?? [id]));
    setEvidence({
      ids,
      label: `${plural(ids.size, 'transcript line', 'transcript lines')} behind ${code.code} ${agree(ids.size, 'is', 'are')} highlighted.`,
    });
  };

  const markReady = async () => {
    setActionError(undefined);
    if (!(await doc.flush())) return setActionError('The latest edit is not saved yet. Wait until it is saved, then try again.');
    try {
      await api.visit.markReady({ visitId });
      announce('Marked ready for signature.');
    } catch (failure) {
      setActionError(errorText(failure));
    }
  };

  const openSignOff = async () => {
    setActionError(undefined);
    if (!(await doc.flush())) return setActionError('The latest edit is not saved yet. Wait until it is saved, then sign.');
    setSigning(true);
  };

  /** Signs exactly the stored revision shown in the dialog, then sends it now rather than at the next scheduled run. */
  const signNote = async (stored: Note, acknowledgeUnsupported: boolean) => {
    const unsupported = unsupportedSummary(stored).count > 0;
    const result = await api.visit.sign({ visitId, revision: stored.revision, ...(unsupported ? { acknowledgeUnsupported } : {}) });
    announce('Note signed. Sending it to the EHR.');
    doc.markSigned();
    outbox.reload();
    // Progress arrives as outbox events.
    api.outbox.run().then(outbox.reload, outbox.reload);
    return result;
  };

  if (visit.status !== 'ready') {
    return (
      <div className="view">
        <h1 tabIndex={-1}>Review</h1>
        {visit.status === 'loading' ? (
          <p role="status" className="muted">
            Loading the visit…
          </p>
        ) : (
          <p className="alert" role="alert">
            {visit.message}
          </p>
        )}
        <p>
          <a href={routeHref('review')}>Back to the review queue</a>
        </p>
      </div>
    );
  }

  const state = visit.visit.state;
  const content = note.content;
  const transcriptFinal = transcript.transcript?.final ?? false;
  const hasEdits = note.revisions.some((revision) => revision.kind === 'edit');
  // The app drafted it when the transcript became final: not "someone else", and worth saying once.
  const autoDrafted = note.revisions.length > 0 && note.revisions.every((revision) => revision.author === AUTO_DRAFT_AUTHOR);
  const autoDrafting = note.status === 'none' && autoDraft?.state === 'drafting';

  return (
    <div className="view view-wide">
      <p className="breadcrumb">
        <a href={routeHref('review')}>Review queue</a>
      </p>
      <VisitHeading visit={visit.visit} prefix="Review" />
      <div className="review-layout">
        <TranscriptPane
          transcript={transcript.transcript}
          error={transcript.error}
          playback={playback}
          audioMs={capture.status?.durationMs ?? 0}
          evidence={evidence?.ids ?? emptyIds}
          evidenceLabel={evidence?.label}
          visitId={visitId}
          importable={editor && !['recording', 'transcription_failed', 'signed', 'delivered', 'failed'].includes(state)}
        />
        <div className="note-column">
          <section className="panel note-panel" aria-labelledby={noteHeading}>
            <div className="panel-header">
              <h2 id={noteHeading}>Note</h2>
              <div className="panel-tools">
                <SaveStatus note={note} />
                {content ? (
                  <CopyButton
                    text={wholeNoteText(content.sections)}
                    label="Copy whole note"
                    visible="Copy whole note"
                    className="button-secondary"
                  />
                ) : null}
              </div>
            </div>
            {note.conflict ? (
              <div className="alert" role="alert">
                <p>
                  <strong>Someone else saved this note while you were editing.</strong> Their version is shown now. Your last change was not
                  saved
                  {note.conflict.lost.length > 0 ? '; here it is so you can enter it again:' : '.'}
                </p>
                {note.conflict.lost.length > 0 ? (
                  <ul>
                    {note.conflict.lost.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                ) : null}
                <button type="button" className="button-small" onClick={() => doc.dismissConflict()}>
                  Dismiss
                </button>
              </div>
            ) : null}
            <div role="status">{draftSummary && note.status === 'ready' ? <p className="form-status">{draftSummary}</p> : null}</div>
            {note.updatedElsewhere && !note.conflict && !autoDrafted ? (
              <p className="notice">This note was updated by someone else; you are seeing their latest version.</p>
            ) : null}
            {autoDrafted && content && !note.signed ? (
              <p className="notice">
                Drafted automatically when the transcript became final (
                {content.drafter.engine === 'llm' ? 'language model' : 'offline drafter'}). Check every sentence and code before signing.
              </p>
            ) : null}
            {autoDrafting ? <p role="status">Drafting the note from the transcript…</p> : null}
            {note.status === 'none' && (autoDraft?.state === 'failed' || autoDraft?.state === 'skipped') ? (
              <p className={autoDraft.state === 'failed' ? 'alert' : 'notice'}>{autoDraft.reason}</p>
            ) : null}
            {note.status === 'loading' ? <p className="muted">Loading the note…</p> : null}
            {note.status === 'error' ? (
              <p className="alert" role="alert">
                {note.message}
              </p>
            ) : null}
            {note.status === 'none' ? (
              <TranscriptionFailedPanel visit={visit.visit} transcription={transcription} settings={settings.view} />
            ) : null}
            {note.status === 'none' && !transcriptFinal ? (
              <TranscriptionProgress
                transcription={transcription}
                settings={settings.view}
                recordingDone={capture.status?.capture === 'stopped'}
                transcriptFinal={false}
              />
            ) : null}
            {note.status === 'none' && !autoDrafting ? (
              editor ? (
                <DraftControls
                  visitId={visitId}
                  transcriptFinal={transcriptFinal}
                  hasNote={false}
                  hasEdits={false}
                  settings={settings.view}
                  onDrafted={onDrafted}
                  run={runDraft}
                />
              ) : (
                <p className="empty-state">No note has been drafted for this visit yet.</p>
              )
            ) : null}
            {content ? (
              <>
                {!readOnly ? (
                  <p className="muted">
                    Edits are saved as you type. Select a sentence to see where it came from in the transcript; Enter adds a sentence below.
                    Sentences marked unsupported have no transcript evidence.
                  </p>
                ) : null}
                {note.transcriptChanged && !note.signed ? (
                  <p className="alert" role="status">
                    The transcript was replaced after this note was drafted. Sentences whose transcript lines now say something else are
                    marked unsupported. Draft the note again from the new transcript, or check those sentences and confirm when you sign.
                  </p>
                ) : null}
                <NoteEditor content={content} doc={doc} readOnly={readOnly} selectedId={evidence?.sentenceId} onSelect={selectSentence} />
                {!readOnly ? (
                  <details className="redraft">
                    <summary>Draft again from the transcript</summary>
                    <DraftControls
                      visitId={visitId}
                      transcriptFinal={transcriptFinal}
                      hasNote
                      hasEdits={hasEdits}
                      settings={settings.view}
                      onDrafted={onDrafted}
                      run={runDraft}
                    />
                  </details>
                ) : null}
              </>
            ) : null}
          </section>

          {content ? (
            <CodePanel content={content} doc={doc} readOnly={readOnly} signed={note.signed} onShowEvidence={showCodeEvidence} />
          ) : null}

          {content ? (
            <section className="panel" aria-labelledby={signHeading}>
              <h2 id={signHeading}>Sign-off</h2>
              {actionError ? (
                <p className="alert" role="alert">
                  {actionError}
                </p>
              ) : null}
              {note.signed ? (
                <>
                  <p className="result-ok">Signed: revision {note.stored?.revision} is locked.</p>
                  <DeliveryProgress job={job} />
                </>
              ) : (
                <>
                  {state === 'ready_for_signature' ? (
                    <p className="notice">Ready for signature: a reviewer handed this note to the clinician.</p>
                  ) : (
                    <p className="muted">
                      When the note is right, {maySign ? 'sign it to send it to the EHR' : 'mark it ready so the clinician can sign it'}.
                    </p>
                  )}
                  <div className="form-actions">
                    {editor && (state === 'draft_ready' || state === 'in_review') ? (
                      <button type="button" className={maySign ? 'button-secondary' : 'button-primary'} onClick={() => void markReady()}>
                        Mark ready for signature
                      </button>
                    ) : null}
                    {maySign ? (
                      <button type="button" className="button-primary" onClick={() => void openSignOff()}>
                        Sign and send…
                      </button>
                    ) : null}
                  </div>
                  {!maySign ? <p className="muted">Only {signingRoles.join(' or ')}s can sign notes on this workstation.</p> : null}
                </>
              )}
            </section>
          ) : null}
          {content && note.signed ? <AddendaPanel visitId={visitId} mayWrite={editor} maySign={maySign} /> : null}
          {note.revisions.length > 0 ? <RevisionHistory revisions={note.revisions} /> : null}
        </div>
      </div>
      {signing && note.stored ? (
        <SignDialog
          title="Sign and send to the EHR"
          noun="note"
          details={<NoteSignDetails visit={visit.visit} note={note.stored} destination={destination} />}
          text={renderSignedNoteText(note.stored)}
          extra={<CodesSent note={note.stored} />}
          unsupported={unsupportedSummary(note.stored)}
          attestation="I have reviewed this note and the codes, and I confirm they are accurate. Once signed, the note cannot be changed; later corrections go out as an addendum."
          signLabel="Sign and send"
          sign={(acknowledgeUnsupported) => signNote(note.stored!, acknowledgeUnsupported)}
          afterSigning={{
            title: ({ jobId }) => signedTitle(outbox.jobs?.find((candidate) => candidate.id === jobId)),
            body: ({ attestation, jobId }) => (
              <>
                <p>
                  Revision {attestation.revision} is signed and locked. {destination ? destination.title : ''}.
                </p>
                <DeliveryProgress job={outbox.jobs?.find((candidate) => candidate.id === jobId)} />
              </>
            ),
          }}
          onClose={() => setSigning(false)}
        />
      ) : null}
    </div>
  );
}
