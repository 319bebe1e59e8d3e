import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { CodeSuggestion, Note } from '../../../shared/domain/note.js';
import { renderSignedNoteText } from '../../../shared/domain/note-text.js';
import { reviewShortcutAria, reviewShortcutLabel } from '../../../shared/domain/review-shortcuts.js';
import { unsupportedSummary } from '../../../shared/domain/unsupported-sentences.js';
import { useApp } from '../app-context.js';
import { AddendaPanel } from '../components/AddendaPanel.js';
import { CodePanel } from '../components/CodePanel.js';
import { CodeSummary } from '../components/CodeSummary.js';
import { CopyButton } from '../components/CopyButton.js';
import { DeliveryProgress } from '../components/DeliveryProgress.js';
import { DraftControls } from '../components/DraftControls.js';
import type { SentenceSelection } from '../components/NoteEditor.js';
import { NoteEditor } from '../components/NoteEditor.js';
import { ReviewShortcutsHelp } from '../components/ReviewShortcutsHelp.js';
import { RevisionHistory } from '../components/RevisionHistory.js';
import { CodesSent, NoteSignDetails } from '../components/NoteSignDetails.js';
import { SignDialog } from '../components/SignDialog.js';
import { TranscriptPane } from '../components/TranscriptPane.js';
import { VisitHeading } from '../components/VisitHeading.js';
import { errorText } from '../error-text.js';
import { destinationOf, signedTitle } from '../outbox-advice.js';
import { useDemoEhrInUse } from '../components/DemoEhrBadge.js';
import { useAutoDraft } from '../hooks/useAutoDraft.js';
import { useCaptureStatus } from '../hooks/useCaptureStatus.js';
import { useNoteDocument } from '../hooks/useNoteDocument.js';
import { useOutbox } from '../hooks/useOutbox.js';
import { useReviewShortcuts } from '../hooks/useReviewShortcuts.js';
import { usePlayback } from '../hooks/usePlayback.js';
import { useSettings } from '../hooks/useSettings.js';
import { useTranscript } from '../hooks/useTranscript.js';
import { useTranscription } from '../hooks/useTranscription.js';
import { TranscriptionProgress } from '../components/TranscriptionProgress.js';
import { TranscriptionFailedPanel } from '../components/TranscriptionFailedPanel.js';
import { useVisit } from '../hooks/useVisit.js';
import { agree, plural } from '../format.js';
import { withCodeStatus } from '../note/code-status.js';
import type { NoteSnapshot } from '../note/note-document.js';
import { wholeNoteText } from '../note/note-copy.js';
import { routeHref } from '../routes.js';
import { SignInToSign, signBlockedText } from '../components/SignInToSign.js';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

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

/**
 * Review of one visit, laid out to fit the window: the codes and sign-off in a bar at the top, then
 * the transcript with its audio and the note with its codes side by side, each scrolling on its own.
 */
export function ReviewView({ visitId }: { visitId: string }) {
  const { api, user, identity, announce } = useApp();
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
  // After "Draft the note" its button is gone: focus goes to the note's first sentence instead of the page.
  const [focusAfterDraft, setFocusAfterDraft] = useState(false);
  const onDrafted = (_result: unknown, summary: string) => {
    setDraftSummary(summary);
    setFocusAfterDraft(true);
  };
  const runDraft = <T,>(operation: () => Promise<T>) => doc.ownChange(operation);
  const noteHeading = useId();
  const signHeading = useId();
  const noteColumn = useRef<HTMLDivElement>(null);
  const signButton = useRef<HTMLButtonElement>(null);

  const role = user?.role;
  const editor = role === 'clinician' || role === 'scribe';
  const signingRoles = settings.view?.settings.signingRoles.value ?? ['clinician'];
  // Offered only to a user with a role that signs and a practitioner to sign as (auth:whoami); the server checks again.
  const maySign = identity?.maySign === true;
  const readOnly = !editor || note.signed;
  // The original note's job; addenda have their own (shown with each addendum).
  const job = useMemo(() => outbox.jobs?.find((candidate) => candidate.visitId === visitId && !candidate.addendum), [outbox.jobs, visitId]);
  const emptyIds = useMemo(() => new Set<string>(), []);
  const demoEhr = useDemoEhrInUse(api);
  const destination = settings.view ? destinationOf(settings.view, demoEhr) : undefined;

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

  /** The note's first sentence, or its heading while there is none. */
  const focusNoteStart = () =>
    (
      noteColumn.current?.querySelector<HTMLElement>('.note-editor .sentence-input, .note-editor .sentence-text') ??
      noteColumn.current?.querySelector<HTMLElement>(`[id="${noteHeading}"]`)
    )?.focus();

  const hasContent = note.content !== undefined;
  useEffect(() => {
    if (!focusAfterDraft || !hasContent) return;
    setFocusAfterDraft(false);
    if (document.activeElement === null || document.activeElement === document.body) focusNoteStart();
  });

  /** Moves to a code's row under the note: its decision buttons, or its evidence link on a note that cannot change. */
  const focusCode = (code: string) => {
    const row = noteColumn.current?.querySelector<HTMLElement>(`.code-row[data-code="${CSS.escape(code)}"]`);
    (row?.querySelector<HTMLElement>('.code-actions button') ?? row?.querySelector<HTMLElement>('button') ?? row)?.focus();
  };

  const nextUnsupported = () => {
    const flagged = [...(noteColumn.current?.querySelectorAll<HTMLElement>('.sentence.is-unsupported') ?? [])];
    if (flagged.length === 0) return announce('No sentence is marked unsupported.');
    const active = document.activeElement;
    const current = flagged.findIndex((item) => active !== null && item.contains(active));
    const after =
      current >= 0
        ? (current + 1) % flagged.length
        : flagged.findIndex((item) => active !== null && Boolean(active.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_FOLLOWING));
    const next = Math.max(0, after);
    flagged[next]?.querySelector<HTMLElement>('.sentence-input, .sentence-text')?.focus();
    announce(`Unsupported sentence ${next + 1} of ${flagged.length}.`);
  };

  const acceptFocusedCode = () => {
    const codes = note.content?.codes ?? [];
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const focused = codes.find((code) => code.code === active?.closest<HTMLElement>('[data-code]')?.dataset.code);
    if (!focused) {
      const waiting = [...codes].sort((a, b) => a.rank - b.rank).find((code) => code.status === 'suggested');
      if (!waiting) return announce(codes.length === 0 ? 'This note has no codes.' : 'No code is waiting for a decision.');
      focusCode(waiting.code);
      return announce(`${waiting.code}: press ${reviewShortcutLabel('acceptCode', isMac)} again to accept it.`);
    }
    if (readOnly) return announce('The codes of this note cannot be changed.');
    if (focused.status === 'accepted') return announce(`${focused.code} is accepted already.`);
    doc.edit((content) => withCodeStatus(content, focused.code, 'accepted'));
    announce(`${focused.code} accepted.`);
  };

  // The same button a click would use, so whatever decides who may sign decides here too.
  const signShortcut = () => {
    const button = signButton.current;
    if (button?.isConnected) {
      button.focus();
      return button.click();
    }
    announce(
      note.signed
        ? 'This note is signed already.'
        : !note.content
          ? 'There is no note to sign yet.'
          : signBlockedText(identity, signingRoles),
    );
  };

  useReviewShortcuts({ nextUnsupported, acceptCode: acceptFocusedCode, openSign: signShortcut });

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
  const unsupportedCount = (content?.sections ?? []).reduce(
    (sum, section) => sum + section.sentences.filter((s) => s.support === 'unsupported' && s.origin !== 'added').length,
    0,
  );

  return (
    <div className="view view-wide review-page">
      <p className="breadcrumb">
        <a href={routeHref('review')}>Review queue</a>
      </p>
      <VisitHeading visit={visit.visit} prefix="Review" />
      <a
        className="skip-link"
        href={routeHref('review', visitId)}
        onClick={(event) => {
          event.preventDefault();
          focusNoteStart();
        }}
      >
        Skip to note
      </a>
      {content ? (
        <div className="review-actions">
          <div className="review-actions-row">
            <CodeSummary codes={content.codes} signed={note.signed} onOpen={focusCode} />
            <ReviewShortcutsHelp />
          </div>
          {unsupportedCount > 0 && !readOnly ? (
            <button
              type="button"
              className="button-secondary button-small"
              aria-keyshortcuts={reviewShortcutAria('nextUnsupported')}
              onClick={nextUnsupported}
            >
              Next unsupported ({unsupportedCount})
            </button>
          ) : null}
          <section className="review-signoff" aria-labelledby={signHeading}>
            <h2 id={signHeading} className="bar-heading">
              Sign-off
            </h2>
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
                    <button
                      type="button"
                      className="button-primary"
                      ref={signButton}
                      aria-keyshortcuts={reviewShortcutAria('openSign')}
                      onClick={() => void openSignOff()}
                    >
                      Sign and send…
                    </button>
                  ) : null}
                </div>
                {!maySign ? <SignInToSign identity={identity} signingRoles={signingRoles} /> : null}
              </>
            )}
          </section>
        </div>
      ) : null}
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
        <div className="note-column" ref={noteColumn}>
          <section className="panel note-panel" aria-labelledby={noteHeading}>
            <div className="panel-header">
              <h2 id={noteHeading} tabIndex={-1}>
                Note
              </h2>
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
