/**
 * Checks a process definition before it is published (pure: the caller supplies the known role codes,
 * the known agency codes and the procedure's legal time). Every problem is reported as a Vietnamese
 * message with the JSON Pointer of the field, so the editor can show it next to the row.
 *
 * Graph rules (main flow and each branch alike): the start state exists; every state is reachable from
 * the start; from every state some terminal state can be reached; terminal states have no actions out.
 * Forward actions (not marked sendBack, not a loop on one state) must not form a cycle — a step back is
 * a send-back — so the longest path from the start to a terminal state is well defined; its total
 * budget (a branch counts as an edge from its `from` to its `join` state, weighing its own longest path)
 * must not exceed the procedure's legal time.
 */
import type { DefinitionError, WorkflowAction, WorkflowDefinition, WorkflowState } from './workflows.schemas';

export const KEY_RE = /^[a-z][a-z0-9_]{0,39}$/;
const DEPARTMENT_RE = /^[A-Za-z0-9_.-]{1,40}$/;

export interface ValidationContext {
  /** Role codes that exist (org roles). */
  roles: ReadonlySet<string>;
  /** Active agency codes; undefined = not checked. */
  agencyCodes?: ReadonlySet<string>;
  /** The procedure's legal processing time in working hours; null = not fixed (no budget check). */
  processingHours: number | null;
}

interface Edge {
  from: string;
  to: string;
  hours: number;
  /** Where the edge comes from, for messages. */
  path: string;
  label: string;
}

interface GraphInfo {
  /** Longest forward path from the start to a terminal state, in hours, with its states; null when undefined (cycle, no terminal). */
  longest: { hours: number; states: string[] } | null;
  reachable: Set<string>;
}

const keyMessage = (what: string) => `Mã ${what} chỉ gồm chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ, tối đa 40 ký tự`;

/** Errors of a whole definition, in document order (empty = may be published). */
export function validateDefinition(def: WorkflowDefinition, ctx: ValidationContext): DefinitionError[] {
  const errors: DefinitionError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });
  const actionKeys = new Map<string, string>();
  const mainKeys = new Set(def.states.map((s) => s.key));

  checkStates(def.states, '', err);
  const main = checkFlow({ states: def.states, start: def.start, actions: def.actions, base: '' }, ctx, actionKeys, err);

  // Branches: their own states and actions; they open at a main state and the main flow waits at `join`.
  const branchEdges: Edge[] = [];
  const branchKeys = new Set<string>();
  const branchStateKeys = new Set<string>();
  for (const [i, b] of (def.branches ?? []).entries()) {
    const base = `/branches/${i}`;
    if (!KEY_RE.test(b.key)) err(`${base}/key`, keyMessage('luồng'));
    else if (branchKeys.has(b.key)) err(`${base}/key`, `Mã luồng "${b.key}" bị trùng`);
    branchKeys.add(b.key);
    if (!b.name.trim()) err(`${base}/name`, 'Chưa có tên luồng');
    if (typeof b.agency === 'object') checkAgency(b.agency.agencyCode, `${base}/agency/agencyCode`, ctx, err);
    const fromOk = mainKeys.has(b.from);
    const joinOk = mainKeys.has(b.join);
    if (!fromOk) err(`${base}/from`, `Trạng thái mở luồng "${b.from}" không có trong quy trình chính`);
    if (!joinOk) err(`${base}/join`, `Trạng thái chờ hợp luồng "${b.join}" không có trong quy trình chính`);
    if (fromOk && joinOk && !reachableFrom(b.from, def.actions).has(b.join)) {
      err(`${base}/join`, `Từ trạng thái "${b.from}" quy trình chính không đi tới được trạng thái chờ "${b.join}"`);
    }
    for (const [j, s] of b.states.entries()) {
      if (mainKeys.has(s.key)) err(`${base}/states/${j}/key`, `Mã trạng thái "${s.key}" đã dùng trong quy trình chính`);
      else if (branchStateKeys.has(s.key) && b.states.findIndex((x) => x.key === s.key) === j) {
        err(`${base}/states/${j}/key`, `Mã trạng thái "${s.key}" đã dùng trong một luồng khác`);
      }
    }
    for (const s of b.states) branchStateKeys.add(s.key);
    checkStates(b.states, base, err);
    const info = checkFlow({ states: b.states, start: b.start, actions: b.actions, base }, ctx, actionKeys, err);
    if (fromOk && joinOk && info.longest) {
      branchEdges.push({ from: b.from, to: b.join, hours: info.longest.hours, path: base, label: `luồng ${b.key}` });
    }
  }

  if (ctx.processingHours !== null && main.reachable.size > 0) {
    const total = longestPath(def.states, def.start, [...forwardEdges(def.actions, ''), ...branchEdges]);
    if (total && total.hours > ctx.processingHours) {
      err(
        '/actions',
        `Tổng thời gian các bước trên đường dài nhất (${total.hours} giờ: ${total.states.join(' → ')}) vượt thời hạn giải quyết của thủ tục (${ctx.processingHours} giờ)`,
      );
    }
  }
  return errors;
}

function checkStates(states: WorkflowState[], base: string, err: (f: string, m: string) => void): void {
  const seen = new Set<string>();
  for (const [i, s] of states.entries()) {
    const at = `${base}/states/${i}`;
    if (!KEY_RE.test(s.key)) err(`${at}/key`, keyMessage('trạng thái'));
    else if (seen.has(s.key)) err(`${at}/key`, `Mã trạng thái "${s.key}" bị trùng`);
    seen.add(s.key);
    if (!s.name.trim()) err(`${at}/name`, 'Chưa có tên trạng thái');
  }
  if (states.length > 0 && !states.some((s) => s.terminal)) {
    err(`${base}/states`, 'Chưa có trạng thái kết thúc (đánh dấu ít nhất một trạng thái là kết thúc)');
  }
}

function checkAgency(code: string, field: string, ctx: ValidationContext, err: (f: string, m: string) => void): void {
  if (!code.trim()) err(field, 'Chưa chọn cơ quan');
  else if (ctx.agencyCodes && !ctx.agencyCodes.has(code)) err(field, `Không có cơ quan đang hoạt động mang mã ${code}`);
}

interface Flow {
  states: WorkflowState[];
  start: string;
  actions: WorkflowAction[];
  base: string;
}

/** Actions and graph rules of one flow (the main one or a branch). */
function checkFlow(flow: Flow, ctx: ValidationContext, actionKeys: Map<string, string>, err: (f: string, m: string) => void): GraphInfo {
  const { states, start, actions, base } = flow;
  const keys = new Set(states.map((s) => s.key));
  const terminal = new Set(states.filter((s) => s.terminal).map((s) => s.key));
  if (states.length === 0) err(`${base}/states`, 'Chưa có trạng thái nào');
  if (!keys.has(start))
    err(`${base}/start`, start ? `Trạng thái bắt đầu "${start}" không có trong danh sách trạng thái` : 'Chưa chọn trạng thái bắt đầu');

  for (const [i, a] of actions.entries()) {
    const at = `${base}/actions/${i}`;
    if (!KEY_RE.test(a.key)) err(`${at}/key`, keyMessage('thao tác'));
    else if (actionKeys.has(a.key)) err(`${at}/key`, `Mã thao tác "${a.key}" bị trùng`);
    else actionKeys.set(a.key, at);
    if (!a.name.trim()) err(`${at}/name`, 'Chưa có tên thao tác');
    if (a.from.length === 0) err(`${at}/from`, 'Chưa chọn trạng thái được thực hiện thao tác');
    for (const [j, f] of a.from.entries()) {
      if (!keys.has(f)) err(`${at}/from/${j}`, `Trạng thái "${f}" không có trong danh sách trạng thái`);
      else if (terminal.has(f)) err(`${at}/from/${j}`, `Trạng thái "${f}" là trạng thái kết thúc, không có thao tác tiếp theo`);
      if (a.from.indexOf(f) !== j) err(`${at}/from/${j}`, `Trạng thái "${f}" bị lặp`);
    }
    if (!keys.has(a.to))
      err(`${at}/to`, a.to ? `Trạng thái tiếp theo "${a.to}" không có trong danh sách trạng thái` : 'Chưa chọn trạng thái tiếp theo');
    if (a.roles.length === 0) err(`${at}/roles`, 'Thao tác chưa có vai trò nào được thực hiện');
    for (const [j, r] of a.roles.entries()) {
      if (!ctx.roles.has(r)) err(`${at}/roles/${j}`, `Không có vai trò "${r}"`);
      else if (a.roles.indexOf(r) !== j) err(`${at}/roles/${j}`, `Vai trò "${r}" bị lặp`);
    }
    if (a.where && typeof a.where === 'object') checkAgency(a.where.agencyCode, `${at}/where/agencyCode`, ctx, err);
    if (a.department !== undefined && !DEPARTMENT_RE.test(a.department)) err(`${at}/department`, 'Mã phòng ban không hợp lệ');
    if (a.department !== undefined && a.where === 'desk') err(`${at}/department`, 'Bước tại bộ phận một cửa không chọn phòng ban');
  }

  if (!keys.has(start)) return { longest: null, reachable: new Set() };
  const reachable = reachableFrom(start, actions);
  const toTerminal = reachingAny(terminal, actions);
  for (const [i, s] of states.entries()) {
    if (!reachable.has(s.key)) err(`${base}/states/${i}`, `Không có đường đi từ trạng thái bắt đầu tới trạng thái "${s.key}"`);
    else if (!toTerminal.has(s.key)) err(`${base}/states/${i}`, `Từ trạng thái "${s.key}" không có đường đi tới trạng thái kết thúc`);
  }

  const edges = forwardEdges(actions, base);
  const cycle = findCycle(start, edges);
  if (cycle) {
    err(
      cycle.path,
      `Thao tác tạo vòng lặp (${cycle.from} → ${cycle.to}); thao tác quay lại bước trước phải đánh dấu là "trả lại" (sendBack)`,
    );
    return { longest: null, reachable };
  }
  return { longest: longestPath(states, start, edges), reachable };
}

/** States reachable from `start` by any action (send-backs included). */
export function reachableFrom(start: string, actions: WorkflowAction[]): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    const s = queue.shift() as string;
    for (const a of actions) {
      if (a.from.includes(s) && !seen.has(a.to)) {
        seen.add(a.to);
        queue.push(a.to);
      }
    }
  }
  return seen;
}

/** States from which one of `targets` can be reached. */
function reachingAny(targets: Set<string>, actions: WorkflowAction[]): Set<string> {
  const seen = new Set(targets);
  let grew = true;
  while (grew) {
    grew = false;
    for (const a of actions) {
      if (!seen.has(a.to)) continue;
      for (const f of a.from) {
        if (!seen.has(f)) {
          seen.add(f);
          grew = true;
        }
      }
    }
  }
  return seen;
}

function forwardEdges(actions: WorkflowAction[], base: string): Edge[] {
  return actions.flatMap((a, i) =>
    a.sendBack
      ? []
      : a.from
          .filter((f) => f !== a.to)
          .map((f) => ({ from: f, to: a.to, hours: a.budgetHours ?? 0, path: `${base}/actions/${i}`, label: a.key })),
  );
}

/** A forward edge that closes a cycle reachable from `start`, if any (depth-first search, colours). */
function findCycle(start: string, edges: Edge[]): Edge | null {
  const colour = new Map<string, 1 | 2>();
  const visit = (s: string): Edge | null => {
    colour.set(s, 1);
    for (const e of edges) {
      if (e.from !== s) continue;
      const c = colour.get(e.to);
      if (c === 1) return e;
      if (c === undefined) {
        const found = visit(e.to);
        if (found) return found;
      }
    }
    colour.set(s, 2);
    return null;
  };
  return visit(start);
}

/**
 * The longest path (by budget hours) from `start` to a terminal state over acyclic forward edges;
 * null when no terminal state is reachable or the edges have a cycle.
 */
export function longestPath(states: WorkflowState[], start: string, edges: Edge[]): { hours: number; states: string[] } | null {
  if (findCycle(start, edges)) return null;
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (s: string) => {
    done.add(s);
    for (const e of edges) if (e.from === s && !done.has(e.to)) visit(e.to);
    order.push(s);
  };
  visit(start);
  order.reverse();
  const dist = new Map<string, number>([[start, 0]]);
  const prev = new Map<string, string>();
  for (const s of order) {
    const d = dist.get(s);
    if (d === undefined) continue;
    for (const e of edges) {
      if (e.from !== s) continue;
      if (d + e.hours > (dist.get(e.to) ?? -1)) {
        dist.set(e.to, d + e.hours);
        prev.set(e.to, s);
      }
    }
  }
  let best: string | null = null;
  for (const s of states) {
    if (!s.terminal || !dist.has(s.key)) continue;
    if (best === null || (dist.get(s.key) as number) > (dist.get(best) as number)) best = s.key;
  }
  if (best === null) return null;
  const path = [best];
  while (path[0] !== start) path.unshift(prev.get(path[0] as string) as string);
  return { hours: dist.get(best) as number, states: path };
}

/** The budget of the longest path of a definition (main flow with its branches), or null when undefined. */
export function longestBudget(def: WorkflowDefinition): number | null {
  const branchEdges: Edge[] = [];
  for (const b of def.branches ?? []) {
    const l = longestPath(b.states, b.start, forwardEdges(b.actions, ''));
    if (l) branchEdges.push({ from: b.from, to: b.join, hours: l.hours, path: '', label: b.key });
  }
  return longestPath(def.states, def.start, [...forwardEdges(def.actions, ''), ...branchEdges])?.hours ?? null;
}
