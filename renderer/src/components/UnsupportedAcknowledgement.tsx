import { useId } from 'react';
import type { UnsupportedSummary } from '../../../shared/domain/unsupported-sentences.js';
import { agree, plural } from '../format.js';

/**
 * In the sign dialog: how many drafted sentences have no support in the transcript, and where, with
 * the checkbox the clinician ticks to say they checked them. Renders nothing when there are none.
 */
export function UnsupportedAcknowledgement({
  summary,
  checked,
  onChange,
}: {
  summary: UnsupportedSummary;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  if (summary.count === 0) return null;
  return (
    <div className="unsupported-warning alert" role="group" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`}>
        <strong>{plural(summary.count, 'sentence has', 'sentences have')} no support in the transcript.</strong> As written, nothing said in
        the visit backs {agree(summary.count, 'it', 'them')}: the review marks what did not match.
      </p>
      <ul className="unsupported-sections">
        {summary.sections.map((section) => (
          <li key={section.id}>
            {section.title}: {plural(section.count, 'sentence', 'sentences')}
          </li>
        ))}
      </ul>
      <label className="attest" htmlFor={id}>
        <input id={id} type="checkbox" checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} />I checked the{' '}
        {plural(summary.count, 'unsupported sentence', 'unsupported sentences')} and {agree(summary.count, 'it is', 'they are')} accurate.
      </label>
    </div>
  );
}
