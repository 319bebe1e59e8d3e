/**
 * Writes plain text to the clipboard. The async Clipboard API first; where it is refused (the
 * desktop shell grants no clipboard permission) the classic copy command on a hidden text field,
 * which needs only the click that asked for it. Nothing ever reads the clipboard.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Fall through to the copy command.
  }
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  const buffer = document.createElement('textarea');
  buffer.className = 'clipboard-buffer';
  buffer.readOnly = true;
  buffer.setAttribute('aria-hidden', 'true');
  buffer.tabIndex = -1;
  buffer.value = text;
  document.body.append(buffer);
  try {
    buffer.select();
    // Deprecated but still the one way to copy without a clipboard permission.
    if (!document.execCommand('copy')) throw new Error('copy refused');
  } finally {
    buffer.remove();
    previous?.focus();
  }
}
