import assert from 'node:assert/strict';
import { test } from 'vitest';
import { fhirclientDebugModule, silenceFhirclientDebug } from '../../../main/auth/fhirclient-debug.js';

test("fhirclient's debug output (token responses, authorization headers) stays off whatever DEBUG says", () => {
  const debug = fhirclientDebugModule();
  const previous = debug.disable();
  try {
    debug.enable('FHIR*,other:thing');
    const created = (debug as unknown as (ns: string) => { enabled: boolean })('FHIR:oauth2');
    assert.equal(created.enabled, true);
    silenceFhirclientDebug(debug);
    assert.equal(debug.enabled('FHIR:oauth2'), false);
    assert.equal(debug.enabled('FHIR:client:refresh'), false);
    assert.equal(created.enabled, false, 'loggers fhirclient made before are silenced too');
    assert.equal(debug.enabled('other:thing'), true, "other packages' debug output is left as it was");
  } finally {
    debug.disable();
    if (previous) debug.enable(previous);
  }
});
