import type { ReactNode } from 'react';
import '../lists.css';

/**
 * Technical detail (ids, paths, the EHR's own error text, settings names) kept out of the clinician's
 * way: closed until someone opens it, so the words around it read plainly and IT can still read
 * out exactly what happened.
 */
export function DetailsForIt({ children, summary = 'Details for IT' }: { children: ReactNode; summary?: string }) {
  return (
    <details className="details-for-it">
      <summary>{summary}</summary>
      <div className="details-for-it-body">{children}</div>
    </details>
  );
}
