import type { ScribeApi } from '../../../shared/api/client.js';
import type { ResponseOf } from '../../../shared/api/contract.js';
import { ApiCallError } from '../../../shared/api/errors.js';
import type { Note } from '../../../shared/domain/note.js';
import { errorText } from '../error-text.js';

/** What the editor changes: the note without the fields the store sets on each save. */
export type NoteContent = Omit<Note, 'revision' | 'updatedAt' | 'updatedBy'>;
export type Revision = ResponseOf<'note:get'>['revisions'][number];

export type SaveState = 'saved' | 'pending' | 'saving' | 'error';

export interface NoteSnapshot {
  readonly status: 'loading' | 'none' | 'ready' | 'error';
  /** The note as the person sees it, with edits not yet stored. */
  readonly content: NoteContent | undefined;
  /** The last revision the store confirmed. */
  readonly stored: Note | undefined;
  readonly signed: boolean;
  readonly revisions: readonly Revision[];
  readonly save: SaveState;
  readonly message: string | undefined;
  /** Someone else saved while this person was editing: their version is shown, and what was lost is listed. */
  readonly conflict: { readonly lost: readonly string[] } | undefined;
  /** Someone else's save arrived while nothing was pending here: shown quietly. */
  readonly updatedElsewhere: boolean;
  /** The transcript was replaced or revised after the note was drafted (as of the last load). */
  readonly transcriptChanged: boolean;
}

const DEBOUNCE_MS = 500;
const RETRY_MAX_MS = 10_000;

const initial: NoteSnapshot = {
  status: 'loading',
  content: undefined,
  stored: undefined,
  signed: false,
  revisions: [],
  save: 'saved',
  message: undefined,
  conflict: undefined,
  updatedElsewhere: false,
  transcriptChanged: false,
};

function contentOf(note: Note): NoteContent {
  return { visitId: note.visitId, template: note.template, sections: note.sections, codes: note.codes, drafter: note.drafter };
}

/**
 * What the store derived for each sentence (support, its check, where it came from) shown on the
 * sentences being edited, where they still hold the words the store checked.
 */
function withDerived(content: NoteContent, stored: Note): NoteContent {
  const derived = new Map(stored.sections.flatMap((section) => section.sentences.map((s) => [s.id, s] as const)));
  return {
    ...content,
    sections: content.sections.map((section) => ({
      ...section,
      sentences: section.sentences.map((sentence) => {
        const known = derived.get(sentence.id);
        return known && known.text === sentence.text
          ? { ...sentence, support: known.support, origin: known.origin, check: known.check }
          : sentence;
      }),
    })),
  };
}

/** Sentences still empty (just added, or cleared) are not stored: a note never carries blank lines. */
function storable(content: NoteContent): NoteContent {
  return {
    ...content,
    sections: content.sections.map((section) => ({ ...section, sentences: section.sentences.filter((s) => s.text.trim() !== '') })),
  };
}

/**
 * One visit's note while someone edits it. Every change is stored as it is made: half a second
 * after typing stops, at once on blur or when the page goes away, never two saves at a time, each
 * on top of the revision the last one returned. A save refused because someone else saved first
 * loads their version and lists what was not stored, so nothing disappears silently.
 */
export class NoteDocument {
  private snapshot: NoteSnapshot = initial;
  private readonly listeners = new Set<() => void>();
  private revision = 0;
  private dirty = false;
  private inFlight: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private retryMs = 1_000;
  private externalRevision = 0;
  private ownChanges = 0;
  private disposed = false;
  private readonly settledWaiters: ((ok: boolean) => void)[] = [];

  constructor(
    private readonly api: ScribeApi,
    readonly visitId: string,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): NoteSnapshot => this.snapshot;

  private update(change: Partial<NoteSnapshot>): void {
    if (this.disposed) return;
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }

  async load(): Promise<void> {
    try {
      const view = await this.api.note.get({ visitId: this.visitId });
      this.accept(view.note, { signed: view.signed, revisions: view.revisions });
      this.update({ transcriptChanged: view.transcriptChanged });
    } catch (failure) {
      if (failure instanceof ApiCallError && failure.code === 'not_found') this.update({ status: 'none' });
      else this.update({ status: 'error', message: errorText(failure) });
    }
  }

  /** Takes a note the store returned (loaded, drafted) as the one being edited, dropping nothing pending. */
  accept(note: Note, extra: { signed?: boolean; revisions?: readonly Revision[] } = {}): void {
    this.revision = note.revision;
    this.dirty = false;
    clearTimeout(this.timer);
    this.update({
      status: 'ready',
      content: contentOf(note),
      stored: note,
      signed: extra.signed ?? this.snapshot.signed,
      revisions: extra.revisions ?? this.snapshot.revisions,
      save: 'saved',
      message: undefined,
    });
  }

  edit(change: (content: NoteContent) => NoteContent): void {
    const content = this.snapshot.content;
    if (!content || this.snapshot.signed) return;
    this.dirty = true;
    this.update({ content: change(content), save: 'pending', updatedElsewhere: false });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.saveNow(), DEBOUNCE_MS);
  }

  /**
   * Sends pending edits now. The call goes out synchronously, so a page being unloaded still sends
   * it (the web transport marks note saves keepalive).
   */
  saveNow(): void {
    clearTimeout(this.timer);
    if (!this.dirty || this.inFlight || !this.snapshot.content || this.snapshot.signed) return;
    this.dirty = false;
    const content = storable(this.snapshot.content);
    this.update({ save: 'saving' });
    const request = this.api.note.save({ visitId: this.visitId, baseRevision: this.revision, note: content });
    this.inFlight = request
      .then(
        (note) => {
          this.revision = note.revision;
          this.retryMs = 1_000;
          const revisions = [
            ...this.snapshot.revisions,
            { revision: note.revision, at: note.updatedAt, author: note.updatedBy, kind: 'edit' as const },
          ];
          const shown = this.snapshot.content ? withDerived(this.snapshot.content, note) : undefined;
          this.update({ stored: note, content: shown, revisions, save: this.dirty ? 'pending' : 'saved', message: undefined });
        },
        async (failure: unknown) => {
          if (failure instanceof ApiCallError && failure.code === 'conflict') {
            await this.resolveConflict(content);
            return;
          }
          // Not stored: keep the edit and try again, a little later each time.
          this.dirty = true;
          this.update({ save: 'error', message: `Not saved yet: ${errorText(failure)} Trying again…` });
          clearTimeout(this.timer);
          this.timer = setTimeout(() => this.saveNow(), this.retryMs);
          this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
        },
      )
      .finally(() => {
        this.inFlight = undefined;
        if (this.externalRevision > this.revision && !this.dirty) void this.reloadAfterExternal();
        else if (this.dirty && this.snapshot.save !== 'error') this.saveNow();
        this.settle();
      });
  }

  /**
   * The page is going away (reload, close): nothing can be awaited. Pending edits go out now; if a
   * save is still on its way, this one is sent on top of the revision that save will create, so
   * the store takes both in order, or refuses this one as a conflict (never overwriting anything).
   */
  flushForUnload(): void {
    clearTimeout(this.timer);
    const content = this.snapshot.content;
    if (!this.dirty || !content || this.snapshot.signed) return;
    if (!this.inFlight) return this.saveNow();
    this.dirty = false;
    this.api.note.save({ visitId: this.visitId, baseRevision: this.revision + 1, note: storable(content) }).catch(() => undefined);
  }

  /** Resolves true once every edit is stored, false if a save failed or conflicted. */
  flush(): Promise<boolean> {
    this.saveNow();
    return new Promise((resolve) => {
      this.settledWaiters.push(resolve);
      this.settle();
    });
  }

  private settle(): void {
    if (this.inFlight) return;
    if (this.dirty && this.snapshot.save !== 'error') return;
    const ok = !this.dirty && this.snapshot.conflict === undefined;
    for (const resolve of this.settledWaiters.splice(0)) resolve(ok);
  }

  /** main said the note changed (`note:changed`): ours is ignored, anyone else's is loaded. */
  externalChange(revision: number): void {
    if (revision <= this.revision) return;
    this.externalRevision = Math.max(this.externalRevision, revision);
    if (this.inFlight) return; // decided when our save answers
    if (this.dirty) void this.resolveConflict(storable(this.snapshot.content!));
    else void this.reloadAfterExternal();
  }

  /**
   * The visit's transcript changed: what backs each sentence may have too. The store's fresh checks
   * are shown on the sentences as they are; nothing being edited is replaced.
   */
  async transcriptChanged(): Promise<void> {
    if (this.snapshot.status !== 'ready' || this.snapshot.signed) return;
    try {
      const view = await this.api.note.get({ visitId: this.visitId });
      if (view.note.revision !== this.revision || !this.snapshot.content) return;
      this.update({ content: withDerived(this.snapshot.content, view.note), stored: view.note, transcriptChanged: view.transcriptChanged });
    } catch {
      // The next load or save brings the checks; nothing here is lost.
    }
  }

  private async reloadAfterExternal(): Promise<void> {
    const quiet = this.ownChanges > 0;
    await this.load();
    if (!quiet) this.update({ updatedElsewhere: true });
  }

  /**
   * Runs something this person started that saves the note on the main side (drafting): the new
   * revision it causes is loaded without being announced as someone else's.
   */
  async ownChange<T>(operation: () => Promise<T>): Promise<T> {
    this.ownChanges += 1;
    try {
      return await operation();
    } finally {
      await this.load();
      this.ownChanges -= 1;
    }
  }

  private async resolveConflict(mine: NoteContent): Promise<void> {
    clearTimeout(this.timer);
    this.dirty = false;
    try {
      const view = await this.api.note.get({ visitId: this.visitId });
      const theirs = new Set(view.note.sections.flatMap((section) => section.sentences.map((s) => s.text)));
      const lost = mine.sections.flatMap((section) =>
        section.sentences.filter((s) => !theirs.has(s.text)).map((s) => `${section.title}: ${s.text}`),
      );
      this.accept(view.note, { signed: view.signed, revisions: view.revisions });
      this.update({ conflict: { lost } });
    } catch (failure) {
      this.update({ save: 'error', message: errorText(failure) });
    }
  }

  dismissConflict(): void {
    this.update({ conflict: undefined, updatedElsewhere: false });
  }

  markSigned(): void {
    this.update({ signed: true });
  }

  /** Pending edits go out; later answers no longer update a view that is gone. */
  dispose(): void {
    this.saveNow();
    this.disposed = true;
  }

  /** A view (re)attached: updates flow again (React may mount an effect twice). */
  attach(): void {
    this.disposed = false;
  }
}
