import assert from 'node:assert/strict';
import { test } from 'vitest';
import { formatPractitionerName } from '../../../main/auth/practitioner-name.js';

test("a practitioner's name for the screen: official first, text when given, null when there is none", () => {
  assert.equal(
    formatPractitionerName({
      resourceType: 'Practitioner',
      name: [{ use: 'official', prefix: ['Dr.'], given: ['Robin', 'A.'], family: 'Example', suffix: ['MD'] }],
    }),
    'Dr. Robin A. Example MD',
  );
  assert.equal(
    formatPractitionerName({
      resourceType: 'Practitioner',
      name: [
        { use: 'nickname', given: ['Rob'] },
        { use: 'official', text: 'Robin Example' },
      ],
    }),
    'Robin Example',
  );
  assert.equal(formatPractitionerName({ resourceType: 'Practitioner', name: [{ given: ['Kai'] }] }), 'Kai');
  assert.equal(formatPractitionerName({ resourceType: 'Practitioner' }), null);
  assert.equal(formatPractitionerName({ resourceType: 'Practitioner', name: [{ use: 'official' }] }), null);
});
