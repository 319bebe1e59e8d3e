import type { Note, NoteSection, NoteSentence } from '../../shared/domain/note.js';

/**
 * Where each sentence came from, as the store knows it rather than as a client says: 'drafted' when the
 * last draft held this sentence id with these words, 'edited' when it held the id with other words,
 * 'added' when it did not hold the id at all (a person's own words, which they attest by signing).
 */
export function withStoredOrigins(sections: readonly NoteSection[], lastDraft: Pick<Note, 'sections'> | undefined): NoteSection[] {
  const drafted = new Map<string, string>();
  for (const section of lastDraft?.sections ?? []) for (const sentence of section.sentences) drafted.set(sentence.id, sentence.text);
  const originOf = (sentence: NoteSentence): NoteSentence['origin'] => {
    const words = drafted.get(sentence.id);
    if (words === undefined) return 'added';
    return words === sentence.text ? 'drafted' : 'edited';
  };
  return sections.map((section) => ({ ...section, sentences: section.sentences.map((s) => ({ ...s, origin: originOf(s) })) }));
}
