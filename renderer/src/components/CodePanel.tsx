import { useEffect, useId, useRef, useState } from 'react';
import type { CodeSuggestion } from '../../../shared/domain/note.js';
import type { IcdSearchHit } from '../../../shared/domain/terminology.js';
import { useApp } from '../app-context.js';
import { errorText } from '../error-text.js';
import type { NoteContent, NoteDocument } from '../note/note-document.js';
import { codeStatusLabels, withCodeStatus } from '../note/code-status.js';
import { acceptedCodesText } from '../note/note-copy.js';
import { CopyButton } from './CopyButton.js';

interface Props {
  readonly content: NoteContent;
  readonly doc: NoteDocument;
  readonly readOnly: boolean;
  /** A signed note's codes are final: one nobody accepted was not sent to the EHR. */
  readonly signed?: boolean;
  readonly onShowEvidence: (code: CodeSuggestion) => void;
}

function CodeRow({
  code,
  doc,
  readOnly,
  signed,
  onShowEvidence,
  onReplace,
}: { code: CodeSuggestion; onReplace: (from: string, to: string) => void } & Omit<Props, 'content'>) {
  const toggle = (status: 'accepted' | 'rejected') =>
    doc.edit((content) => withCodeStatus(content, code.code, code.status === status ? 'suggested' : status));
  return (
    <li className={`code-row code-${code.status}`} data-code={code.code} tabIndex={-1}>
      <div className="code-main">
        <span className="code-value">{code.code}</span>
        <span className="code-description">{code.description}</span>
        <span className={`badge badge-code-${code.status}`}>
          {signed && code.status === 'suggested' ? 'Not accepted, not sent' : codeStatusLabels[code.status]}
        </span>
      </div>
      {code.evidence.length > 0 ? (
        <button type="button" className="button-link" onClick={() => onShowEvidence(code)}>
          Show where it was said <span className="visually-hidden">for {code.code}</span>
        </button>
      ) : (
        <p className="muted code-evidence-none">Added by a reviewer; no transcript line is linked.</p>
      )}
      {code.specificityHint ? (
        <div className="code-hint">
          <p>{code.specificityHint.message}</p>
          {readOnly
            ? null
            : code.specificityHint.moreSpecific.map((more) => (
                <button key={more} type="button" className="button-small" onClick={() => onReplace(code.code, more)}>
                  Use {more} instead
                </button>
              ))}
        </div>
      ) : null}
      {readOnly ? null : (
        <div className="code-actions" role="group" aria-label={`Decision for ${code.code}`}>
          <button type="button" className="button-small" aria-pressed={code.status === 'accepted'} onClick={() => toggle('accepted')}>
            Accept <span className="visually-hidden">{code.code}</span>
          </button>
          <button type="button" className="button-small" aria-pressed={code.status === 'rejected'} onClick={() => toggle('rejected')}>
            Reject <span className="visually-hidden">{code.code}</span>
          </button>
        </div>
      )}
    </li>
  );
}

function CodeSearch({ existing, onAdd }: { existing: ReadonlySet<string>; onAdd: (code: string) => Promise<string | undefined> }) {
  const { api } = useApp();
  const id = useId();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<readonly IcdSearchHit[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const ticket = useRef(0);

  useEffect(() => {
    const text = query.trim();
    const mine = ++ticket.current;
    if (text.length < 2) {
      setHits([]);
      setTotal(0);
      return;
    }
    const timer = setTimeout(() => {
      api.icd.search({ query: text, limit: 12 }).then(
        (result) => {
          if (mine !== ticket.current) return;
          setHits(result.hits);
          setTotal(result.total);
          setError(undefined);
        },
        (failure: unknown) => mine === ticket.current && setError(errorText(failure)),
      );
    }, 200);
    return () => clearTimeout(timer);
  }, [api, query]);

  const add = async (code: string) => {
    setMessage(await onAdd(code));
  };

  return (
    <div className="code-search">
      <label htmlFor={id}>Search ICD-10-CM to add a code</label>
      <input
        id={id}
        type="search"
        value={query}
        onChange={(event) => setQuery(event.currentTarget.value)}
        placeholder="Code, words or abbreviation (e.g. T2DM)"
        autoComplete="off"
      />
      <p className="visually-hidden" role="status">
        {query.trim().length >= 2 ? `${total} codes match.` : ''}
      </p>
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      {message ? (
        <p className="form-status" role="status">
          {message}
        </p>
      ) : null}
      {hits.length > 0 ? (
        <ul className="code-hits" aria-label="Matching codes">
          {hits.map((hit) => (
            <li key={hit.code} className="code-hit">
              <span className="code-value">{hit.code}</span>
              <span className="code-description">{hit.description}</span>
              {hit.billable ? (
                existing.has(hit.code) ? (
                  <span className="muted">In the note</span>
                ) : (
                  <button type="button" className="button-small" onClick={() => void add(hit.code)}>
                    Add <span className="visually-hidden">{hit.code}</span>
                  </button>
                )
              ) : (
                <span className="muted">Category: not billable, choose a code below it</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * ICD-10-CM codes for the visit: the drafter's suggestions with their evidence and specificity
 * hints, each accepted or rejected by the reviewer, and codes added by search. Only codes the code
 * set confirms as billable are added.
 */
export function CodePanel({ content, doc, readOnly, signed = false, onShowEvidence }: Props) {
  const { api } = useApp();
  const heading = useId();
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const existing = new Set(content.codes.map((code) => code.code));

  const validated = async (code: string) => {
    const validation = await api.icd.validate({ code });
    if (!validation.billable || !validation.code || !validation.description) {
      const alternatives = validation.alternatives.slice(0, 5).map((a) => a.code);
      return { error: `${validation.message}${alternatives.length ? ` Try ${alternatives.join(', ')}.` : ''}` };
    }
    return { code: validation.code, description: validation.description };
  };

  const addCode = async (code: string): Promise<string | undefined> => {
    setProblem(undefined);
    try {
      const result = await validated(code);
      if ('error' in result) {
        setProblem(result.error);
        return undefined;
      }
      doc.edit((current) => {
        if (current.codes.some((c) => c.code === result.code)) return current;
        const rank = current.codes.reduce((max, c) => Math.max(max, c.rank), 0) + 1;
        return {
          ...current,
          codes: [...current.codes, { code: result.code, description: result.description, rank, evidence: [], status: 'accepted' }],
        };
      });
      return `${result.code} added and accepted.`;
    } catch (failure) {
      setProblem(errorText(failure));
      return undefined;
    }
  };

  const replace = async (from: string, to: string) => {
    setProblem(undefined);
    try {
      const result = await validated(to);
      if ('error' in result) return setProblem(result.error);
      doc.edit((current) => ({
        ...current,
        codes: current.codes
          .filter((c) => c.code !== result.code)
          .map((c) => {
            if (c.code !== from) return c;
            return { code: result.code, description: result.description, rank: c.rank, evidence: c.evidence, status: 'accepted' as const };
          }),
      }));
    } catch (failure) {
      setProblem(errorText(failure));
    }
  };

  const accepted = acceptedCodesText(content.codes);
  return (
    <section className="panel code-panel" aria-labelledby={heading}>
      <div className="panel-header">
        <h2 id={heading}>Diagnosis codes (ICD-10-CM)</h2>
        {accepted ? <CopyButton text={accepted} label="Copy accepted codes" /> : null}
      </div>
      {problem ? (
        <p className="alert" role="alert">
          {problem}
        </p>
      ) : null}
      {content.codes.length === 0 ? <p className="muted">No codes suggested. Search below to add one.</p> : null}
      <ul className="code-list">
        {[...content.codes]
          .sort((a, b) => a.rank - b.rank)
          .map((code) => (
            <CodeRow
              key={code.code}
              code={code}
              doc={doc}
              readOnly={readOnly}
              signed={signed}
              onShowEvidence={onShowEvidence}
              onReplace={(a, b) => void replace(a, b)}
            />
          ))}
      </ul>
      {readOnly ? null : <CodeSearch existing={existing} onAdd={addCode} />}
    </section>
  );
}
