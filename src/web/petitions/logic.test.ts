import { describe, expect, it } from 'vitest';
import { actionsFor, currentDue, emptyForm, toBody, validateForm } from './logic';

describe('petition page logic', () => {
  it('the forwarding deadline runs while received, the handling one while handled, none afterwards', () => {
    const p = { forwardDueAt: 'F', handleDueAt: 'H' };
    expect(currentDue({ ...p, state: 'received' })).toEqual({ kind: 'forward', at: 'F' });
    expect(currentDue({ ...p, state: 'in_progress' })).toEqual({ kind: 'handle', at: 'H' });
    expect(currentDue({ ...p, state: 'answered' })).toBeNull();
    expect(currentDue({ ...p, handleDueAt: null, state: 'accepted' })).toBeNull();
  });

  it('offers the actions of the state, extension only once', () => {
    expect(actionsFor({ state: 'received', extended: false })).toEqual(['classify', 'forward']);
    expect(actionsFor({ state: 'in_progress', extended: false })).toEqual(['assign', 'note', 'extend', 'answer']);
    expect(actionsFor({ state: 'accepted', extended: false })).toContain('forward');
    expect(actionsFor({ state: 'in_progress', extended: true })).not.toContain('extend');
    expect(actionsFor({ state: 'closed', extended: false })).toEqual([]);
  });

  it('anonymous petitioners need name, address and a phone or e-mail; signed-in ones do not', () => {
    const v = { ...emptyForm, agencyId: 'a', category: '2', regulation: 'QĐ 25', content: 'Nội dung' };
    expect(Object.keys(validateForm(v, true))).toEqual([]);
    expect(validateForm(v, false)).toEqual({ 'petitioner.name': 'name', 'petitioner.address': 'address', 'petitioner.phone': 'contact' });
    expect(validateForm({ ...v, name: 'A', address: 'B', email: 'x@y.vn' }, false)).toEqual({});
    expect(validateForm({ ...v, phone: '12' }, true)).toEqual({ 'petitioner.phone': 'phoneFormat' });
    expect(Object.keys(validateForm(emptyForm, true)).sort()).toEqual(['agencyId', 'category', 'content', 'regulation']);
  });

  it('builds a trimmed body without empty optional fields', () => {
    const body = toBody({ ...emptyForm, agencyId: 'a', category: '7', regulation: ' QĐ ', content: ' x ', phone: ' 0905123456 ' }, ['f']);
    expect(body).toEqual({
      agencyId: 'a',
      category: 7,
      regulation: 'QĐ',
      content: 'x',
      attachmentIds: ['f'],
      petitioner: { phone: '0905123456' },
    });
  });
});
