/**
 * The editor's pure helpers: which row shows an error, and where the diagram puts each state.
 */
import { describe, expect, it } from 'vitest';
import { defaultDefinition } from '../../server/modules/workflows/workflows.defaults';
import { anchorOf, errorsUnder, layoutStates } from './workflowModel';

describe('errors per row', () => {
  const errors = [
    { field: '/actions/1/roles/0', message: 'a' },
    { field: '/actions/10/to', message: 'b' },
    { field: '/actions', message: 'c' },
    { field: '/branches/0/states/2', message: 'd' },
  ];

  it('a row gets its own errors and those of its fields, not of a row with a longer number', () => {
    expect(errorsUnder(errors, '/actions/1').map((e) => e.message)).toEqual(['a']);
    expect(errorsUnder(errors, '/branches/0/states/2').map((e) => e.message)).toEqual(['d']);
  });

  it('links an error to its row (or its section)', () => {
    expect(anchorOf('/actions/1/roles/0')).toBe('wf-actions-1');
    expect(anchorOf('/branches/0/states/2')).toBe('wf-branches-0-states-2');
    expect(anchorOf('/branches/0/join')).toBe('wf-branches-0');
    expect(anchorOf('/start')).toBe('wf-start');
  });
});

describe('diagram layout', () => {
  it('puts states in columns by distance from the start, send-backs ignored, unreachable ones last', () => {
    const d = defaultDefinition(40);
    d.states.push({ key: 'orphan', name: 'Mồ côi', publicStatus: 4 });
    const pos = layoutStates(d.states, d.start, d.actions);
    expect(d.states.map((s) => pos.get(s.key)?.col)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(pos.get('orphan')).toEqual({ col: 6, row: 0 });
  });
});
