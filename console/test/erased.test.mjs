// An erased personal value reads in the console's language wherever it
// sits in an answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { showErased } from '../src/lib/api.js';

test('erased values read as [đã xóa] in Vietnamese, at any depth', () => {
  const answer = {
    name: '[erased]',
    priority_flags: ['[erased]', 'poor_household'],
    events: [{ data: { fields: { name: '[erased]', unit_id: 'c1' } } }],
    note: 'not [erased] itself',
  };
  assert.deepEqual(showErased(answer), {
    name: '[đã xóa]',
    priority_flags: ['[đã xóa]', 'poor_household'],
    events: [{ data: { fields: { name: '[đã xóa]', unit_id: 'c1' } } }],
    note: 'not [erased] itself',
  });
});
