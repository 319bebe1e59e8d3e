/**
 * Checkpoints after deletions so deleted pages leave the database files, remembering a checkpoint
 * another connection kept from finishing so the next retention run tries again. Shared by the
 * retention run and visit erasure.
 */
export interface PageScrubber {
  /** After a deletion: true when the files no longer hold the deleted pages. */
  afterDeletion(): boolean;
  /** At a run that deleted nothing: finishes a checkpoint left over (null when none was). */
  retryPending(): boolean | null;
}

export function createPageScrubber(checkpoint: () => boolean): PageScrubber {
  let pending = false;
  const afterDeletion = () => {
    const done = checkpoint();
    pending = !done;
    return done;
  };
  return { afterDeletion, retryPending: () => (pending ? afterDeletion() : null) };
}
