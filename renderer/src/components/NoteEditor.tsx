import type { KeyboardEvent } from 'react';
import { useId, useRef } from 'react';
import type { FactKind, NoteSection, NoteSentence } from '../../../shared/domain/note.js';
import type { NoteContent, NoteDocument } from '../note/note-document.js';
import { sectionText } from '../note/note-copy.js';
import { CopyButton } from './CopyButton.js';

export interface SentenceSelection {
  readonly sectionTitle: string;
  readonly sentence: NoteSentence;
}

interface Props {
  readonly content: NoteContent;
  readonly doc: NoteDocument;
  readonly readOnly: boolean;
  readonly selectedId: string | undefined;
  readonly onSelect: (selection: SentenceSelection | undefined) => void;
}

function newSentenceId(): string {
  return `added-${crypto.randomUUID()}`;
}

function withSentences(content: NoteContent, sectionId: string, change: (sentences: NoteSentence[]) => NoteSentence[]): NoteContent {
  return {
    ...content,
    sections: content.sections.map((section) =>
      section.id === sectionId ? { ...section, sentences: change([...section.sentences]) } : section,
    ),
  };
}

const FACT_NOUNS: Record<FactKind, string> = {
  medication: 'medication',
  dose: 'dose',
  unit: 'unit',
  frequency: 'frequency',
  route: 'route',
  number: 'number',
  laterality: 'side',
  negation: 'negation',
};

/** Why the store found a sentence unsupported, in the reviewer's words; the facts named are the sentence's own. */
function unsupportedWhy(sentence: NoteSentence): string {
  const check = sentence.check;
  if (check && check.changedEvidence.length > 0)
    return 'the transcript changed after drafting, and the lines it came from now say something else.';
  if (check && check.missingEvidence.length > 0) return 'it cites transcript lines that do not exist.';
  if (check && check.unmatched.length > 0) {
    const facts = check.unmatched.map((fact) => `${FACT_NOUNS[fact.kind]} “${fact.value}”`).join(', ');
    return `its transcript lines do not say ${facts}.`;
  }
  return 'nothing in the transcript backs this sentence.';
}

function SentenceFlag({ sentence, id }: { sentence: NoteSentence; id: string }) {
  if (sentence.origin === 'added') {
    return (
      <span id={id} className="sentence-tag">
        Added by a reviewer
      </span>
    );
  }
  if (sentence.support === 'unsupported') {
    return (
      <span id={id} className="sentence-flag">
        <span aria-hidden="true">⚠ </span>Unsupported: {unsupportedWhy(sentence)} Check it.
      </span>
    );
  }
  if (sentence.origin === 'edited') {
    return (
      <span id={id} className="sentence-tag">
        Edited
      </span>
    );
  }
  return (
    <span id={id} className="visually-hidden">
      From {sentence.evidence.length} transcript line{sentence.evidence.length === 1 ? '' : 's'}
    </span>
  );
}

function SectionEditor({ section, doc, readOnly, selectedId, onSelect }: { section: NoteSection } & Omit<Props, 'content'>) {
  const heading = useId();
  const list = useRef<HTMLOListElement>(null);

  const focusSentence = (id: string) =>
    requestAnimationFrame(() => list.current?.querySelector<HTMLTextAreaElement>(`[data-sentence="${CSS.escape(id)}"]`)?.focus());

  const setText = (sentence: NoteSentence, text: string) =>
    doc.edit((content) =>
      withSentences(content, section.id, (sentences) =>
        sentences.map((s) => (s.id === sentence.id ? { ...s, text, origin: s.origin === 'added' ? 'added' : 'edited' } : s)),
      ),
    );

  const addAfter = (index: number) => {
    const sentence: NoteSentence = { id: newSentenceId(), text: '', evidence: [], support: 'unsupported', origin: 'added' };
    doc.edit((content) =>
      withSentences(content, section.id, (sentences) => [...sentences.slice(0, index + 1), sentence, ...sentences.slice(index + 1)]),
    );
    focusSentence(sentence.id);
  };

  const onBlur = (sentence: NoteSentence) => {
    // A sentence emptied by the reviewer is taken out of the note.
    const current = doc
      .getSnapshot()
      .content?.sections.find((s) => s.id === section.id)
      ?.sentences.find((s) => s.id === sentence.id);
    if (current && current.text.trim() === '')
      doc.edit((content) => withSentences(content, section.id, (sentences) => sentences.filter((s) => s.id !== sentence.id)));
    doc.saveNow();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>, index: number) => {
    // Enter starts a new sentence below; Shift+Enter is a line break inside this one.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      addAfter(index);
    }
  };

  return (
    <section className="note-section" aria-labelledby={heading}>
      <div className="note-section-header">
        <h3 id={heading}>{section.title}</h3>
        {section.sentences.length > 0 ? <CopyButton text={sectionText(section)} label={`Copy ${section.title}`} /> : null}
      </div>
      {section.sentences.length === 0 ? <p className="muted note-empty">Nothing recorded for this section.</p> : null}
      <ol className="sentences" ref={list}>
        {section.sentences.map((sentence, index) => {
          const flagId = `${heading}-flag-${index}`;
          const classes = [
            'sentence',
            sentence.support === 'unsupported' && sentence.origin !== 'added' ? 'is-unsupported' : '',
            sentence.id === selectedId ? 'is-selected' : '',
          ]
            .filter(Boolean)
            .join(' ');
          return (
            <li key={sentence.id} className={classes}>
              {readOnly ? (
                <p
                  className="sentence-text"
                  tabIndex={0}
                  aria-describedby={flagId}
                  onFocus={() => onSelect({ sectionTitle: section.title, sentence })}
                  onClick={() => onSelect({ sectionTitle: section.title, sentence })}
                >
                  {sentence.text}
                </p>
              ) : (
                <textarea
                  className="sentence-input"
                  data-sentence={sentence.id}
                  aria-label={`${section.title}, sentence ${index + 1}`}
                  aria-describedby={flagId}
                  value={sentence.text}
                  rows={1}
                  spellCheck
                  onChange={(event) => setText(sentence, event.currentTarget.value)}
                  onFocus={() => onSelect({ sectionTitle: section.title, sentence })}
                  onBlur={() => onBlur(sentence)}
                  onKeyDown={(event) => onKeyDown(event, index)}
                />
              )}
              <SentenceFlag sentence={sentence} id={flagId} />
            </li>
          );
        })}
      </ol>
      {readOnly ? null : (
        <button type="button" className="button-link button-add" onClick={() => addAfter(section.sentences.length - 1)}>
          <span aria-hidden="true">+ </span>Add sentence<span className="visually-hidden"> to {section.title}</span>
        </button>
      )}
    </section>
  );
}

/** The note by section: every sentence editable in place, its sources shown in the transcript when selected. */
export function NoteEditor({ content, doc, readOnly, selectedId, onSelect }: Props) {
  return (
    <div className="note-editor">
      {content.sections.map((section) => (
        <SectionEditor key={section.id} section={section} doc={doc} readOnly={readOnly} selectedId={selectedId} onSelect={onSelect} />
      ))}
    </div>
  );
}
