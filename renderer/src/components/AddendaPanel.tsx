import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { NoteAddendum } from '../../../shared/domain/addendum.js';
import { MAX_ADDENDUM_CHARS } from '../../../shared/domain/addendum.js';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';
import { dateTime } from '../format.js';
import { SignDialog } from './SignDialog.js';

interface Props {
  readonly visitId: string;
  /** Clinicians and scribes write addenda. */
  readonly mayWrite: boolean;
  /** Who may sign (the same rule as signing the note). */
  readonly maySign: boolean;
}

const SAVE_DELAY_MS = 500;

const STATE_TEXT: Record<NoteAddendum['state'], string> = {
  draft: 'Not signed yet',
  waiting: 'Signed; waiting for the original note to be delivered',
  queued: 'Signed; queued for the EHR',
  sending: 'Signed; sending to the EHR',
  delivered: 'Delivered to the EHR',
  failed: 'Delivery failed',
  unknown_outcome: 'Sent, but not known whether it arrived: check the EHR (see the outbox)',
};

/**
 * Addenda under a signed note: the signed note never changes, later words go here. Each is listed
 * with who signed it, when, and where its delivery stands. Clinicians and scribes write the open
 * addendum; a clinician signs it in the sign dialog, which shows the exact text.
 */
export function AddendaPanel({ visitId, mayWrite, maySign }: Props) {
  const { api, announce } = useApp();
  const headingId = useId();
  const textId = useId();
  const [addenda, setAddenda] = useState<readonly NoteAddendum[] | undefined>(undefined);
  const [text, setText] = useState('');
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);

  const open = addenda?.find((a) => a.state === 'draft');
  const signed = addenda?.filter((a) => a.state !== 'draft') ?? [];

  // Saved as typed, like the note: half a second after typing stops, on blur, and as the page goes away.
  const latest = useRef(text);
  const stored = useRef(open);
  stored.current = open;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef<Promise<unknown> | undefined>(undefined);

  const loads = useRef(0);
  const reload = useCallback(() => {
    // Only the latest load is shown: an older answer must not bring back an older revision.
    const mine = ++loads.current;
    api.note.get({ visitId }).then(
      (view) => {
        if (mine === loads.current) setAddenda(view.addenda);
      },
      (failure: unknown) => setError(errorText(failure)),
    );
  }, [api, visitId]);

  useEffect(() => {
    reload();
    const offs = [
      api.on('addendum:changed', (event) => event.visitId === visitId && reload()),
      api.on('outbox:changed', (event) => event.visitId === visitId && reload()),
    ];
    return () => offs.forEach((off) => off());
  }, [api, visitId, reload]);

  // Someone else's save (or our own) refreshes the box only while nothing is typed here; before
  // paint, so the box never shows "Addendum N" empty for a frame.
  useLayoutEffect(() => {
    if (dirty) return;
    latest.current = open?.text ?? '';
    setText(latest.current);
  }, [open?.revision, open?.text, dirty]);

  /** Stores the text as it is now, one save at a time, each on top of the revision the last one returned. */
  const save = useCallback(async (): Promise<NoteAddendum | undefined> => {
    clearTimeout(timer.current);
    while (inFlight.current) await inFlight.current;
    const sent = latest.current;
    const base = stored.current;
    if (base && sent === base.text) return base;
    if (!base && sent.trim() === '') return undefined;
    setError(undefined);
    // The request goes out synchronously, so a page being unloaded still sends it (keepalive).
    const request = api.note.addendum({ visitId, baseRevision: base?.revision, text: sent });
    inFlight.current = request.catch(() => undefined);
    try {
      const saved = await request;
      stored.current = saved;
      setDirty(latest.current !== sent);
      setAddenda((current) => [...(current ?? []).filter((a) => a.seq !== saved.seq), saved].sort((a, b) => a.seq - b.seq));
      return saved;
    } catch (failure) {
      setError(errorText(failure));
      return undefined;
    } finally {
      inFlight.current = undefined;
    }
  }, [api, visitId]);

  useEffect(() => {
    const flush = () => void save();
    const onHidden = () => document.visibilityState === 'hidden' && flush();
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      // Leaving the page within the app: what is typed still goes out.
      flush();
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onHidden);
    };
  }, [save]);

  const openConfirm = async () => {
    const current = await save();
    if (!current) return;
    setError(undefined);
    setConfirming(true);
  };

  const sign = async (addendum: NoteAddendum) => {
    const result = await api.visit.signAddendum({ visitId, revision: addendum.revision });
    announce(`Addendum ${addendum.seq} signed. It is sent after the original note.`);
    reload();
    api.outbox.run().then(reload, reload);
    return result;
  };

  return (
    <section className="panel addenda" aria-labelledby={headingId}>
      <h2 id={headingId}>Addenda</h2>
      {signed.length === 0 && !open ? <p className="muted">The signed note is locked. Later additions go here as addenda.</p> : null}
      {signed.length > 0 ? (
        <ol className="addendum-list">
          {signed.map((a) => (
            <li key={a.seq}>
              <h3>Addendum {a.seq}</h3>
              <pre className="note-preview">{a.text}</pre>
              <p>
                Signed by {a.signedBy} on {a.signedAt ? dateTime(a.signedAt) : ''}. <strong>{STATE_TEXT[a.state]}</strong>
              </p>
              {a.reason ? <p className={a.state === 'failed' ? 'alert' : 'notice'}>{a.reason}</p> : null}
            </li>
          ))}
        </ol>
      ) : null}
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      {mayWrite ? (
        <>
          <label htmlFor={textId}>{open ? `Addendum ${open.seq} (not signed yet)` : 'Add addendum'}</label>
          <textarea
            id={textId}
            rows={4}
            maxLength={MAX_ADDENDUM_CHARS}
            value={text}
            onChange={(event) => {
              latest.current = event.currentTarget.value;
              setText(event.currentTarget.value);
              setDirty(true);
              clearTimeout(timer.current);
              timer.current = setTimeout(() => void save(), SAVE_DELAY_MS);
            }}
            onBlur={() => void save()}
          />
          {open ? (
            <p className="muted">
              Last saved by {open.updatedBy} on {dateTime(open.updatedAt)}.
            </p>
          ) : null}
          <div className="form-actions">
            <button
              type="button"
              className="button-secondary"
              disabled={!dirty || text.trim() === ''}
              onClick={() => void save().then((saved) => saved && announce(`Addendum ${saved.seq} saved.`))}
            >
              Save addendum
            </button>
            {maySign ? (
              <button type="button" className="button-primary" disabled={text.trim() === ''} onClick={() => void openConfirm()}>
                Sign addendum…
              </button>
            ) : null}
          </div>
          {!maySign && open ? <p className="muted">A clinician signs the addendum; it is not sent until then.</p> : null}
        </>
      ) : null}
      {confirming && open ? (
        <SignDialog
          title={`Sign addendum ${open.seq}`}
          noun="addendum"
          details={
            <p>
              It is sent to the same EHR as the note, as its own document pointing at the original, after the original note is delivered.
            </p>
          }
          text={open.text}
          attestation="I have reviewed this addendum and confirm it is accurate. Once signed, it cannot be changed."
          signLabel="Sign addendum"
          sign={() => sign(open)}
          onClose={() => setConfirming(false)}
        />
      ) : null}
    </section>
  );
}
