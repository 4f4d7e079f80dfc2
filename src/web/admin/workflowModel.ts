/**
 * Process definitions in the admin web: API types (from the server's schemas, type-only), queries,
 * and small pure helpers of the editor (errors per row, empty rows, the diagram layout).
 */
import { useQuery } from '@tanstack/react-query';
import type {
  DefinitionError,
  ValidateResult,
  WorkflowAction,
  WorkflowBranch,
  WorkflowDefinition,
  WorkflowList,
  WorkflowListItem,
  WorkflowOverview,
  WorkflowState,
  WorkflowVersion,
} from '../../server/modules/workflows/workflows.schemas';
import { api } from '../api';

export type {
  DefinitionError,
  ValidateResult,
  WorkflowAction,
  WorkflowBranch,
  WorkflowDefinition,
  WorkflowList,
  WorkflowListItem,
  WorkflowOverview,
  WorkflowState,
  WorkflowVersion,
};

export const WORKFLOWS = '/api/v1/workflows';
export const workflowsOf = (procedureId: string) => `/api/v1/procedures/${encodeURIComponent(procedureId)}/workflows`;

/** National public status codes (spec §1.2) a state may show. */
export const publicStatuses = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
/** Roles offered when the role list cannot be read (the built-in ones). */
export const builtinRoles = ['motcua', 'chuyenvien', 'lanhdao', 'vanthu'];

export function useWorkflowOverview(procedureId: string) {
  return useQuery({
    queryKey: [workflowsOf(procedureId)],
    queryFn: ({ signal }) => api.get<WorkflowOverview>(workflowsOf(procedureId), undefined, { signal }),
    enabled: procedureId !== '',
  });
}

export function useWorkflowVersion(procedureId: string, version: number | null) {
  return useQuery({
    queryKey: [workflowsOf(procedureId), 'versions', version],
    queryFn: ({ signal }) => api.get<WorkflowVersion>(`${workflowsOf(procedureId)}/versions/${version}`, undefined, { signal }),
    enabled: procedureId !== '' && version !== null && version > 0,
  });
}

export function fetchStandard(procedureId: string): Promise<WorkflowDefinition> {
  return api.get<WorkflowDefinition>(`${workflowsOf(procedureId)}/standard`);
}

export function validateDefinition(procedureId: string, definition: WorkflowDefinition, signal?: AbortSignal): Promise<ValidateResult> {
  return api.post<ValidateResult>(`${workflowsOf(procedureId)}/validate`, { definition }, { signal });
}

export function saveDraft(procedureId: string, definition: WorkflowDefinition, baseVersion: number | null): Promise<WorkflowVersion> {
  return api.put<WorkflowVersion>(`${workflowsOf(procedureId)}/draft`, { definition, baseVersion });
}

export function publishDraft(procedureId: string): Promise<WorkflowVersion> {
  return api.post<WorkflowVersion>(`${workflowsOf(procedureId)}/draft/publish`);
}

export function discardDraft(procedureId: string): Promise<void> {
  return api.delete(`${workflowsOf(procedureId)}/draft`);
}

/** Errors that belong to a row (`/actions/3` and below), and those of exactly one path. */
export function errorsUnder(errors: DefinitionError[], path: string): DefinitionError[] {
  return errors.filter((e) => e.field === path || e.field.startsWith(`${path}/`));
}

/** The DOM id of the element that shows a path's errors (a row or a section). */
export function anchorOf(field: string): string {
  const row = field.match(/^((?:\/branches\/\d+)?(?:\/(?:states|actions)\/\d+)?)/)?.[1] || field;
  return `wf${row.replace(/[^a-zA-Z0-9]+/g, '-')}`;
}

export const emptyState = (n: number): WorkflowState => ({ key: `trang_thai_${n}`, name: '', publicStatus: 4 });
export const emptyAction = (n: number, from: string, to: string): WorkflowAction => ({
  key: `thao_tac_${n}`,
  name: '',
  from: from ? [from] : [],
  to,
  roles: [],
  where: 'resolving_agency',
});
export const emptyBranch = (n: number, at: string): WorkflowBranch => ({
  key: `luong_${n}`,
  name: '',
  agency: 'resolving_agency',
  from: at,
  join: at,
  start: `luong_${n}_bat_dau`,
  states: [
    { key: `luong_${n}_bat_dau`, name: 'Nhận hồ sơ', publicStatus: 4 },
    { key: `luong_${n}_xong`, name: 'Đã có ý kiến', publicStatus: 4, terminal: true },
  ],
  actions: [{ key: `luong_${n}_tra_loi`, name: 'Trả lời', from: [`luong_${n}_bat_dau`], to: `luong_${n}_xong`, roles: ['chuyenvien'] }],
});

/** Column of each state in the diagram: its distance from the start along forward actions. */
export function layoutStates(states: WorkflowState[], start: string, actions: WorkflowAction[]): Map<string, { col: number; row: number }> {
  const depth = new Map<string, number>([[start, 0]]);
  const queue = [start];
  while (queue.length) {
    const s = queue.shift() as string;
    for (const a of actions) {
      if (a.sendBack || !a.from.includes(s) || depth.has(a.to)) continue;
      depth.set(a.to, (depth.get(s) ?? 0) + 1);
      queue.push(a.to);
    }
  }
  const maxDepth = Math.max(0, ...depth.values());
  const rows = new Map<number, number>();
  const out = new Map<string, { col: number; row: number }>();
  for (const s of states) {
    const col = depth.get(s.key) ?? maxDepth + 1;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    out.set(s.key, { col, row });
  }
  return out;
}
