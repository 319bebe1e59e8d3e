import type { Revision } from '../note/note-document.js';
import { dateTime } from '../format.js';

const kindLabels: Record<Revision['kind'], string> = { draft: 'Drafted', edit: 'Edited', addendum: 'Addendum' };

/** Who changed the note and when: every saved edit is a revision. */
export function RevisionHistory({ revisions }: { revisions: readonly Revision[] }) {
  const latestFirst = [...revisions].sort((a, b) => b.revision - a.revision);
  return (
    <details className="panel revision-history">
      <summary>
        Revision history ({revisions.length} revision{revisions.length === 1 ? '' : 's'})
      </summary>
      <ol className="revision-list">
        {latestFirst.map((revision) => (
          <li key={revision.revision}>
            <span className="revision-number">Revision {revision.revision}</span> {kindLabels[revision.kind] ?? revision.kind} by{' '}
            <span className="user-id">{revision.author}</span>, <time dateTime={revision.at}>{dateTime(revision.at)}</time>
          </li>
        ))}
      </ol>
    </details>
  );
}
