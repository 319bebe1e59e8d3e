import type { ReactNode } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import type { UnsupportedSummary } from '../../../shared/domain/unsupported-sentences.js';
import { errorText } from '../error-text.js';
import { UnsupportedAcknowledgement } from './UnsupportedAcknowledgement.js';

interface Props<T> {
  /** The heading (and the dialog's name) while the signer confirms. */
  readonly title: string;
  /** What is signed: names the text's heading and label. */
  readonly noun: 'note' | 'addendum';
  /** Who and what it is about, where it goes, which version: shown above the text. */
  readonly details: ReactNode;
  /** Exactly the words the signature covers. */
  readonly text: string;
  /** What is sent with the text (the note's codes), below it. */
  readonly extra?: ReactNode;
  /** Drafted sentences nothing in the transcript backs: the signer ticks that they checked them. */
  readonly unsupported?: UnsupportedSummary;
  /** The statement the signer ticks. */
  readonly attestation: string;
  readonly signLabel: string;
  /** Signs; `acknowledgeUnsupported` is true when the signer ticked the unsupported sentences. */
  readonly sign: (acknowledgeUnsupported: boolean) => Promise<T>;
  /** What the dialog shows once signed, until closed; without it the dialog closes. */
  readonly afterSigning?: { readonly title: string | ((result: T) => string); readonly body: (result: T) => ReactNode };
  readonly onClose: () => void;
}

/**
 * The one sign dialog, for a note and an addendum alike: shows exactly what is signed and where it
 * goes; the signer confirms in a second deliberate step (tick the attestation, and the unsupported
 * sentences when there are any, then sign). A click on the sign button before that does nothing.
 */
export function SignDialog<T>({
  title,
  noun,
  details,
  text,
  extra,
  unsupported,
  attestation,
  signLabel,
  sign,
  afterSigning,
  onClose,
}: Props<T>) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const attestId = useId();
  const [attested, setAttested] = useState(false);
  const [checkedUnsupported, setCheckedUnsupported] = useState(false);
  const [signing, setSigning] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [signed, setSigned] = useState<{ readonly result: T } | undefined>(undefined);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const unsupportedCount = unsupported?.count ?? 0;
  const ready = attested && (unsupportedCount === 0 || checkedUnsupported);
  const close = () => dialog.current?.close();

  const confirm = async () => {
    if (!ready || signing) return;
    setSigning(true);
    setError(undefined);
    try {
      const result = await sign(checkedUnsupported);
      if (afterSigning) setSigned({ result });
      else close();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setSigning(false);
    }
  };

  const Noun = noun === 'note' ? 'Note' : 'Addendum';
  return (
    <dialog ref={dialog} className="sign-dialog" aria-labelledby={titleId} onClose={onClose}>
      <div className="dialog-body">
        <h2 id={titleId}>
          {signed && afterSigning
            ? typeof afterSigning.title === 'string'
              ? afterSigning.title
              : afterSigning.title(signed.result)
            : title}
        </h2>
        {signed && afterSigning ? (
          <>
            {afterSigning.body(signed.result)}
            <div className="form-actions dialog-actions">
              <button type="button" className="button-primary" onClick={close}>
                Close
              </button>
            </div>
          </>
        ) : (
          <>
            {details}
            <h3>The {noun}, exactly as it will be sent</h3>
            <pre className="note-preview" tabIndex={0} aria-label={`${Noun} text to be sent`}>
              {text}
            </pre>
            {extra}
            {unsupported ? (
              <UnsupportedAcknowledgement summary={unsupported} checked={checkedUnsupported} onChange={setCheckedUnsupported} />
            ) : null}
            <label className="attest" htmlFor={attestId}>
              <input id={attestId} type="checkbox" checked={attested} onChange={(event) => setAttested(event.currentTarget.checked)} />
              {attestation}
            </label>
            {error ? (
              <p className="alert" role="alert">
                {error}
              </p>
            ) : null}
            <div className="form-actions dialog-actions">
              <button type="button" className="button-secondary" onClick={close}>
                Cancel
              </button>
              <button
                type="button"
                className="button-primary"
                onClick={() => void confirm()}
                aria-disabled={!ready || signing || undefined}
                aria-describedby={ready ? undefined : attestId}
              >
                {signing ? 'Signing…' : signLabel}
              </button>
            </div>
          </>
        )}
      </div>
    </dialog>
  );
}
