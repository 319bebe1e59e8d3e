import { useId, useState } from 'react';
import type { DraftEngineChoice, DraftResult } from '../../../shared/domain/drafting.js';
import type { NoteTemplateId } from '../../../shared/domain/note.js';
import type { SettingsView } from '../../../shared/domain/policy.js';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';

const templates: Record<NoteTemplateId, string> = {
  soap: 'SOAP note',
  'history-physical': 'History and physical',
  'follow-up': 'Follow-up visit',
};

interface Props {
  readonly visitId: string;
  readonly transcriptFinal: boolean;
  readonly hasNote: boolean;
  readonly hasEdits: boolean;
  readonly settings: SettingsView | undefined;
  /** Called with the draft and a sentence saying how it was made (shown by the page: this control may go away). */
  readonly onDrafted: (result: DraftResult, summary: string) => void;
  /** Wraps the draft call, so the note document knows the new revision is this person's. */
  readonly run: (operation: () => Promise<DraftResult>) => Promise<DraftResult>;
}

/** Drafts the note from the final transcript, with the engine and template the reviewer picks. */
export function DraftControls({ visitId, transcriptFinal, hasNote, hasEdits, settings, onDrafted, run }: Props) {
  const { api, announce } = useApp();
  const id = useId();
  const allowed = settings?.settings.draftingEngines.value ?? ['llm', 'offline'];
  const [engine, setEngine] = useState<DraftEngineChoice>(allowed.includes('llm') ? 'auto' : 'offline');
  const [template, setTemplate] = useState<NoteTemplateId>('soap');
  const [replaceEdits, setReplaceEdits] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const draft = async () => {
    if (busy || !transcriptFinal || (hasEdits && !replaceEdits)) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await run(() => api.visit.draft({ visitId, engine, template, replaceEdits }));
      const parts = [`Drafted with the ${result.note.drafter.engine === 'llm' ? 'language model' : 'offline drafter'}.`];
      if (result.fallback) parts.push(`The language model was not used: ${result.fallback.reason}`);
      if (result.unsupportedSentences > 0)
        parts.push(`${result.unsupportedSentences} sentence(s) have no transcript evidence and are marked: check them.`);
      announce('Draft ready.');
      onDrafted(result, parts.join(' '));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="draft-controls">
      {!transcriptFinal ? (
        <p className="muted">Drafting starts once the transcript is final (after recording stops and transcription finishes).</p>
      ) : null}
      <div className="draft-options">
        <div className="field">
          <label htmlFor={`${id}-engine`}>Drafting engine</label>
          <select id={`${id}-engine`} value={engine} onChange={(event) => setEngine(event.currentTarget.value as DraftEngineChoice)}>
            <option value="auto" disabled={!allowed.includes('llm')}>
              Automatic (language model, else offline)
            </option>
            <option value="offline" disabled={!allowed.includes('offline')}>
              Offline rules (on this computer)
            </option>
            <option value="llm" disabled={!allowed.includes('llm')}>
              Language model only
            </option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-template`}>Template</label>
          <select id={`${id}-template`} value={template} onChange={(event) => setTemplate(event.currentTarget.value as NoteTemplateId)}>
            {(Object.keys(templates) as NoteTemplateId[]).map((value) => (
              <option key={value} value={value}>
                {templates[value]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {hasEdits ? (
        <label className="choice">
          <input type="checkbox" checked={replaceEdits} onChange={(event) => setReplaceEdits(event.currentTarget.checked)} />
          Replace the edited note with a new draft (the edits stay in the revision history)
        </label>
      ) : null}
      <button
        type="button"
        className="button-primary"
        onClick={() => void draft()}
        aria-disabled={busy || !transcriptFinal || (hasEdits && !replaceEdits) || undefined}
      >
        {busy ? 'Drafting…' : hasNote ? 'Draft again' : 'Draft the note'}
      </button>
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
