import { useId } from 'react';
import type { CodeSuggestion } from '../../../shared/domain/note.js';
import { codeStatusLabels } from '../note/code-status.js';

interface Props {
  readonly codes: readonly CodeSuggestion[];
  /** A signed note's codes are final: one nobody accepted was not sent. */
  readonly signed: boolean;
  /** Moves to the code's row under the note, where its evidence and decision buttons are. */
  readonly onOpen: (code: string) => void;
}

/** The note's codes at a glance in the review's action bar; each opens its row in the code panel. */
export function CodeSummary({ codes, signed, onOpen }: Props) {
  const heading = useId();
  const sorted = [...codes].sort((a, b) => a.rank - b.rank);
  const accepted = codes.filter((code) => code.status === 'accepted').length;
  return (
    <section className="code-summary" aria-labelledby={heading}>
      <h2 id={heading} className="bar-heading">
        Codes{' '}
        <span className="bar-heading-detail">
          {accepted} of {codes.length} accepted
        </span>
      </h2>
      {sorted.length === 0 ? (
        <p className="muted">None yet: add one by search under the note.</p>
      ) : (
        <ul className="code-chips">
          {sorted.map((code) => (
            <li key={code.code}>
              <button
                type="button"
                className={`code-chip code-chip-${code.status}`}
                data-code={code.code}
                title={code.description}
                onClick={() => onOpen(code.code)}
              >
                <span className="code-value">{code.code}</span>
                <span className="visually-hidden"> {code.description},</span>{' '}
                <span className={`badge badge-code-${code.status}`}>
                  {signed && code.status === 'suggested' ? 'Not sent' : codeStatusLabels[code.status]}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
