import assert from 'node:assert/strict';
import { test } from 'vitest';
import { renderSignedNoteText } from '../../../shared/domain/note-text.js';
import { noteDraft } from '../../helpers/note-draft.js';

test('the signed text ends with the accepted diagnoses, so an EHR that takes no diagnoses still gets them', () => {
  const note = noteDraft('00000000-0000-4000-8000-000000000001');
  const text = renderSignedNoteText(note);
  assert.ok(text.startsWith('CHIEF COMPLAINT\nSore throat.'));
  // The accepted code is listed with its description; the rejected one (R50.9) is not.
  assert.ok(text.endsWith('\n\nDIAGNOSES (ICD-10-CM)\nJ02.9 Acute pharyngitis, unspecified'), text);
  assert.equal(text.includes('R50.9'), false);
  assert.equal(renderSignedNoteText({ ...note, codes: [] }).includes('DIAGNOSES'), false, 'no section without accepted codes');
});
