/**
 * The definition checks (pure): each rule on a small broken definition, the default generator's
 * budgets for any legal time (property), and the action helpers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedActions, branchesJoiningAt, branchesOpeningAt } from './workflows.actions';
import { defaultDefinition } from './workflows.defaults';
import type { WorkflowDefinition } from './workflows.schemas';
import { longestBudget, validateDefinition } from './workflows.validate';

const roles = new Set(['motcua', 'chuyenvien', 'lanhdao', 'vanthu', 'admin']);
const agencyCodes = new Set(['H66.003', 'H66.007', 'H66.020']);
const ctx = (processingHours: number | null = 40) => ({ roles, agencyCodes, processingHours });
const copy = (d: WorkflowDefinition): WorkflowDefinition => structuredClone(d);
const fields = (d: WorkflowDefinition, hours: number | null = 40) => validateDefinition(d, ctx(hours)).map((e) => e.field);
const messages = (d: WorkflowDefinition, hours: number | null = 40) => validateDefinition(d, ctx(hours)).map((e) => e.message);

describe('the default definition', () => {
  it('is valid and spends exactly the legal time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2920 }), (hours) => {
        const d = defaultDefinition(hours);
        expect(validateDefinition(d, ctx(hours))).toEqual([]);
        expect(longestBudget(d)).toBe(hours);
        for (const a of d.actions) expect(Number.isInteger(a.budgetHours ?? 0) && (a.budgetHours ?? 0) >= 0).toBe(true);
      }),
    );
  });

  it('splits 40 hours 0 / 4 / 20 / 8 / 8', () => {
    const d = defaultDefinition(40);
    expect(Object.fromEntries(d.actions.map((a) => [a.key, a.budgetHours]))).toEqual({
      forward: 0,
      assign: 4,
      submit_appraisal: 20,
      approve: 8,
      send_back: undefined,
      return_result: 8,
    });
  });

  it('carries no budget without a legal time, and is still valid', () => {
    const d = defaultDefinition(null);
    expect(d.actions.every((a) => a.budgetHours === undefined)).toBe(true);
    expect(validateDefinition(d, ctx(null))).toEqual([]);
  });
});

describe('each rule reports a Vietnamese message at the field', () => {
  const base = () => copy(defaultDefinition(40));

  it('unknown state references', () => {
    const d = base();
    (d.actions[1] as { to: string }).to = 'nowhere';
    (d.actions[2] as { from: string[] }).from = ['appraising', 'ghost'];
    d.start = 'ghost';
    const f = fields(d);
    expect(f).toContain('/actions/1/to');
    expect(f).toContain('/actions/2/from/1');
    expect(f).toContain('/start');
    expect(messages(d).join('\n')).toMatch(/không có trong danh sách trạng thái/);
  });

  it('unreachable states', () => {
    const d = base();
    d.states.push({ key: 'orphan', name: 'Mồ côi', publicStatus: 4 });
    d.actions.push({ key: 'orphan_out', name: 'Ra', from: ['orphan'], to: 'returned', roles: ['motcua'] });
    expect(validateDefinition(d, ctx())).toEqual([
      { field: '/states/6', message: 'Không có đường đi từ trạng thái bắt đầu tới trạng thái "orphan"' },
    ]);
  });

  it('states with no way to a terminal state', () => {
    const d = base();
    d.states.push({ key: 'stuck', name: 'Kẹt', publicStatus: 4 });
    d.actions.push({ key: 'to_stuck', name: 'Vào', from: ['appraising'], to: 'stuck', roles: ['chuyenvien'] });
    expect(validateDefinition(d, ctx())).toEqual([
      { field: '/states/6', message: 'Từ trạng thái "stuck" không có đường đi tới trạng thái kết thúc' },
    ]);
  });

  it('no terminal state at all', () => {
    const d = base();
    delete (d.states[5] as { terminal?: boolean }).terminal;
    expect(fields(d)).toContain('/states');
  });

  it('actions without roles, unknown and repeated roles', () => {
    const d = base();
    (d.actions[0] as { roles: string[] }).roles = [];
    (d.actions[1] as { roles: string[] }).roles = ['lanhdao', 'giamdoc', 'lanhdao'];
    expect(validateDefinition(d, ctx())).toEqual([
      { field: '/actions/0/roles', message: 'Thao tác chưa có vai trò nào được thực hiện' },
      { field: '/actions/1/roles/1', message: 'Không có vai trò "giamdoc"' },
      { field: '/actions/1/roles/2', message: 'Vai trò "lanhdao" bị lặp' },
    ]);
  });

  it('duplicate and malformed keys, empty names', () => {
    const d = base();
    (d.states[1] as { key: string }).key = 'received';
    (d.actions[3] as { key: string }).key = 'assign';
    (d.actions[4] as { key: string }).key = 'Trả Lại';
    (d.actions[5] as { name: string }).name = '  ';
    const f = fields(d);
    expect(f).toContain('/states/1/key');
    expect(f).toContain('/actions/3/key');
    expect(f).toContain('/actions/4/key');
    expect(f).toContain('/actions/5/name');
  });

  it('unknown agencies', () => {
    const d = base();
    (d.actions[2] as { where: unknown }).where = { agencyCode: 'H66.999' };
    expect(validateDefinition(d, ctx())).toEqual([
      { field: '/actions/2/where/agencyCode', message: 'Không có cơ quan đang hoạt động mang mã H66.999' },
    ]);
  });

  it('actions out of a terminal state', () => {
    const d = base();
    d.actions.push({ key: 'reopen', name: 'Mở lại', from: ['returned'], to: 'appraising', roles: ['lanhdao'], sendBack: true });
    expect(fields(d)).toEqual(['/actions/6/from/0']);
  });

  it('a step back not marked sendBack is a cycle', () => {
    const d = base();
    delete (d.actions[4] as { sendBack?: boolean }).sendBack;
    expect(validateDefinition(d, ctx())).toEqual([
      {
        field: '/actions/4',
        message:
          'Thao tác tạo vòng lặp (awaiting_approval → appraising); thao tác quay lại bước trước phải đánh dấu là "trả lại" (sendBack)',
      },
    ]);
  });

  it('a loop on one state (re-assign) is allowed and costs nothing', () => {
    const d = base();
    d.actions.push({
      key: 'reassign',
      name: 'Phân công lại',
      from: ['appraising'],
      to: 'appraising',
      roles: ['lanhdao'],
      budgetHours: 100,
    });
    expect(validateDefinition(d, ctx())).toEqual([]);
  });

  it('budgets along the longest path over the legal time', () => {
    const d = base();
    (d.actions[3] as { budgetHours: number }).budgetHours = 9;
    expect(validateDefinition(d, ctx(40))).toEqual([
      {
        field: '/actions',
        message:
          'Tổng thời gian các bước trên đường dài nhất (41 giờ: received → assigned → appraising → awaiting_approval → result_ready → returned) vượt thời hạn giải quyết của thủ tục (40 giờ)',
      },
    ]);
    expect(validateDefinition(d, ctx(41))).toEqual([]);
    expect(validateDefinition(d, ctx(null))).toEqual([]);
  });

  it('the longest of two paths counts, send-backs do not', () => {
    const d = base();
    // A shortcut that skips the approval: the long path still decides.
    d.actions.push({ key: 'fast', name: 'Duyệt nhanh', from: ['appraising'], to: 'result_ready', roles: ['lanhdao'], budgetHours: 1 });
    expect(longestBudget(d)).toBe(40);
    (d.actions[6] as { budgetHours: number }).budgetHours = 30;
    expect(longestBudget(d)).toBe(4 + 30 + 8);
    expect(fields(d, 40)).toEqual(['/actions']);
  });
});

describe('branches (agencies working in parallel)', () => {
  const withBranch = (): WorkflowDefinition => {
    const d = copy(defaultDefinition(40));
    (d.actions[2] as { budgetHours: number }).budgetHours = 10; // appraisal leaves 10 h for the consultation
    d.branches = [
      {
        key: 'y_kien_sxd',
        name: 'Lấy ý kiến Sở Xây dựng',
        agency: { agencyCode: 'H66.007' },
        from: 'appraising',
        join: 'awaiting_approval',
        start: 'sxd_received',
        states: [
          { key: 'sxd_received', name: 'Sở Xây dựng nhận hồ sơ', publicStatus: 4 },
          { key: 'sxd_done', name: 'Sở Xây dựng đã có ý kiến', publicStatus: 4, terminal: true },
        ],
        actions: [
          { key: 'sxd_reply', name: 'Trả lời ý kiến', from: ['sxd_received'], to: 'sxd_done', roles: ['chuyenvien'], budgetHours: 16 },
        ],
      },
    ];
    return d;
  };

  it('a valid branch counts its own longest path in parallel with the main flow', () => {
    const d = withBranch();
    expect(validateDefinition(d, ctx(40))).toEqual([]);
    // main: 0 + 4 + max(10, 16) + 8 + 8 = 36
    expect(longestBudget(d)).toBe(36);
    (d.branches?.[0]?.actions[0] as { budgetHours: number }).budgetHours = 30;
    expect(fields(d, 40)).toEqual(['/actions']);
  });

  it('an unknown join or opening state, unknown agency, clashing state keys', () => {
    const d = withBranch();
    const b = d.branches?.[0] as NonNullable<WorkflowDefinition['branches']>[number];
    b.join = 'nowhere';
    b.from = 'ghost';
    b.agency = { agencyCode: 'H66.999' };
    (b.states[0] as { key: string }).key = 'received';
    const f = fields(d);
    expect(f).toEqual(
      expect.arrayContaining(['/branches/0/join', '/branches/0/from', '/branches/0/agency/agencyCode', '/branches/0/states/0/key']),
    );
  });

  it('a join the main flow cannot reach from the opening state', () => {
    const d = withBranch();
    (d.branches?.[0] as { join: string }).join = 'assigned';
    expect(messages(d)).toContain('Từ trạng thái "appraising" quy trình chính không đi tới được trạng thái chờ "assigned"');
  });

  it('branch graph rules: unreachable state, missing roles', () => {
    const d = withBranch();
    const b = d.branches?.[0] as NonNullable<WorkflowDefinition['branches']>[number];
    b.states.push({ key: 'sxd_lost', name: 'Lạc', publicStatus: 4 });
    (b.actions[0] as { roles: string[] }).roles = [];
    expect(fields(d)).toEqual(['/branches/0/actions/0/roles', '/branches/0/states/2']);
  });

  it('branches open and join where declared', () => {
    const d = withBranch();
    expect(branchesOpeningAt(d, 'appraising').map((b) => b.key)).toEqual(['y_kien_sxd']);
    expect(branchesJoiningAt(d, 'awaiting_approval').map((b) => b.key)).toEqual(['y_kien_sxd']);
    expect(branchesJoiningAt(d, 'appraising')).toEqual([]);
  });
});

describe('allowedActions', () => {
  const place = { deskAgencyCode: 'H66.020', resolvingAgencyCode: 'H66.003' };
  type Grant = { role: string; agency: string; department?: string };
  const holdsOf = (grants: Grant[]) => (role: string, agency: string, department: string | undefined) =>
    grants.some(
      (g) =>
        g.role === role && g.agency === agency && (department === undefined || g.department === undefined || g.department === department),
    );
  const keys = (state: string, grants: Grant[], d = defaultDefinition(40)) =>
    allowedActions(d, state, place, holdsOf(grants)).map((x) => x.action.key);

  it('the desk forwards and returns; the resolving agency assigns, appraises, approves', () => {
    expect(keys('received', [{ role: 'motcua', agency: 'H66.020' }])).toEqual(['forward']);
    expect(keys('received', [{ role: 'motcua', agency: 'H66.003' }])).toEqual([]);
    expect(keys('assigned', [{ role: 'lanhdao', agency: 'H66.003' }])).toEqual(['assign']);
    expect(keys('awaiting_approval', [{ role: 'lanhdao', agency: 'H66.003' }])).toEqual(['approve', 'send_back']);
    expect(keys('awaiting_approval', [{ role: 'chuyenvien', agency: 'H66.003' }])).toEqual([]);
    expect(keys('returned', [{ role: 'motcua', agency: 'H66.020' }])).toEqual([]);
    expect(keys('unknown', [{ role: 'motcua', agency: 'H66.020' }])).toEqual([]);
  });

  it('a department restriction needs a grant over that department (or the whole agency)', () => {
    const d = defaultDefinition(40);
    (d.actions[2] as { department?: string }).department = 'HCTP';
    expect(keys('appraising', [{ role: 'chuyenvien', agency: 'H66.003', department: 'HCTP' }], d)).toEqual(['submit_appraisal']);
    expect(keys('appraising', [{ role: 'chuyenvien', agency: 'H66.003', department: 'VP' }], d)).toEqual([]);
    expect(keys('appraising', [{ role: 'chuyenvien', agency: 'H66.003' }], d)).toEqual(['submit_appraisal']);
  });

  it('branch actions default to the branch agency', () => {
    const d = copy(defaultDefinition(40));
    d.branches = [
      {
        key: 'b',
        name: 'Luồng',
        agency: { agencyCode: 'H66.007' },
        from: 'appraising',
        join: 'awaiting_approval',
        start: 'b1',
        states: [
          { key: 'b1', name: 'B1', publicStatus: 4 },
          { key: 'b2', name: 'B2', publicStatus: 4, terminal: true },
        ],
        actions: [{ key: 'b_done', name: 'Xong', from: ['b1'], to: 'b2', roles: ['chuyenvien'] }],
      },
    ];
    expect(keys('b1', [{ role: 'chuyenvien', agency: 'H66.007' }], d)).toEqual(['b_done']);
    expect(keys('b1', [{ role: 'chuyenvien', agency: 'H66.003' }], d)).toEqual([]);
  });
});
