import { errorDetail, errorText } from '../error-text.js';
import { DetailsForIt } from './DetailsForIt.js';

/** A failed call in plain words, as an alert; what only IT can act on stays under "Details for IT". */
export function ErrorNotice({ error }: { error: unknown }) {
  const detail = errorDetail(error);
  return (
    <div className="alert" role="alert">
      <p>{errorText(error)}</p>
      {detail ? (
        <DetailsForIt>
          <p>{detail}</p>
        </DetailsForIt>
      ) : null}
    </div>
  );
}
