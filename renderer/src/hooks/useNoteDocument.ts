import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { ScribeApi } from '../../../shared/api/client.js';
import type { NoteSnapshot } from '../note/note-document.js';
import { NoteDocument } from '../note/note-document.js';

/** The visit's note as an editable document: loaded once, saved as it is edited, kept in step with other editors. */
export function useNoteDocument(api: ScribeApi, visitId: string): { doc: NoteDocument; note: NoteSnapshot } {
  const doc = useMemo(() => new NoteDocument(api, visitId), [api, visitId]);
  const note = useSyncExternalStore(doc.subscribe, doc.getSnapshot);
  useEffect(() => {
    doc.attach();
    void doc.load();
    const offNote = api.on('note:changed', (event) => event.visitId === visitId && doc.externalChange(event.revision));
    const offTranscript = api.on('transcript:changed', (event) => event.visitId === visitId && void doc.transcriptChanged());
    // Reload, close or navigate away: pending edits go out now (the request survives the page).
    const flush = () => doc.flushForUnload();
    const onHidden = () => document.visibilityState === 'hidden' && doc.saveNow();
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      offNote();
      offTranscript();
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onHidden);
      doc.dispose();
    };
  }, [api, visitId, doc]);
  return { doc, note };
}
