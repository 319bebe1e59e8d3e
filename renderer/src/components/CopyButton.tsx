import { useEffect, useState } from 'react';
import { copyText } from '../clipboard.js';

/** Copies plain text to the clipboard in one click and says so (also to screen readers). */
export function CopyButton({
  text,
  label,
  visible = 'Copy',
  className = 'button-small',
}: {
  text: string;
  label: string;
  visible?: string;
  className?: string;
}) {
  const [result, setResult] = useState<'copied' | 'failed' | undefined>(undefined);

  useEffect(() => {
    if (!result) return;
    const timer = setTimeout(() => setResult(undefined), 2500);
    return () => clearTimeout(timer);
  }, [result]);

  const copy = () => {
    copyText(text).then(
      () => setResult('copied'),
      () => setResult('failed'),
    );
  };

  return (
    <span className="copy-control">
      <button
        type="button"
        className={className}
        onClick={copy}
        aria-label={result === 'copied' ? label.replace(/^Copy/, 'Copied') : label}
      >
        {result === 'copied' ? 'Copied' : visible}
      </button>
      <span role="status" className={result === 'failed' ? 'field-error' : 'visually-hidden'}>
        {result === 'copied'
          ? `${label.replace(/^Copy /, '')} copied to the clipboard.`
          : result === 'failed'
            ? 'Could not copy: select the text and press Ctrl+C.'
            : ''}
      </span>
    </span>
  );
}
