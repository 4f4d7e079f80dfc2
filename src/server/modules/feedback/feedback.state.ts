/**
 * The handling workflow of a field report (spec §10.2), pure: which action is allowed from which state, by
 * whom (permission or the reporter), and the state it leads to.
 *
 *   new → moderated (personal data hidden; or removed as abuse) → accepted → assigned → in_progress
 *     → resolved (result text, after photos) → rated → closed
 *   plus: return to triage ("không thuộc thẩm quyền", with reason) → reassign (triage desk only);
 *   extend once with reason; "not satisfied" reopens once (→ in_progress).
 */

export type ReportState =
  | 'new'
  | 'moderated'
  | 'accepted'
  | 'assigned'
  | 'in_progress'
  | 'resolved'
  | 'rated'
  | 'closed'
  | 'triage'
  | 'removed';

export type StaffAction = 'moderate' | 'accept' | 'assign' | 'start' | 'resolve' | 'return' | 'reassign' | 'extend';
export type CitizenAction = 'rate' | 'close';
export type ReportAction = StaffAction | CitizenAction;

export const stateNames: Record<ReportState, string> = {
  new: 'Mới gửi',
  moderated: 'Đã biên tập',
  accepted: 'Đã tiếp nhận',
  assigned: 'Đã chuyển xử lý',
  in_progress: 'Đang xử lý',
  resolved: 'Đã xử lý',
  rated: 'Đã đánh giá',
  closed: 'Đã đóng',
  triage: 'Chờ điều phối',
  removed: 'Đã gỡ bỏ',
};

/** Names of what happened; 'remind' and 'escalate' are the SLA job's (staff-only events). */
export const actionNames: Record<ReportAction | 'submit' | 'remind' | 'escalate', string> = {
  submit: 'Gửi phản ánh',
  remind: 'Nhắc hạn xử lý',
  escalate: 'Báo quá hạn cho lãnh đạo đơn vị',
  moderate: 'Biên tập',
  accept: 'Tiếp nhận',
  assign: 'Giao xử lý',
  start: 'Bắt đầu xử lý',
  resolve: 'Đăng kết quả xử lý',
  return: 'Chuyển lại: không thuộc thẩm quyền',
  reassign: 'Điều phối đơn vị xử lý',
  extend: 'Gia hạn',
  rate: 'Đánh giá kết quả',
  close: 'Đóng phản ánh',
};

/** States an action may start from. */
export const allowedFrom: Record<ReportAction, readonly ReportState[]> = {
  moderate: ['new'],
  accept: ['moderated'],
  assign: ['accepted', 'assigned'],
  start: ['accepted', 'assigned'],
  resolve: ['in_progress'],
  return: ['new', 'moderated', 'accepted', 'assigned', 'in_progress'],
  reassign: ['new', 'moderated', 'triage'],
  extend: ['accepted', 'assigned', 'in_progress'],
  rate: ['resolved'],
  close: ['resolved', 'rated'],
};

/** States in which a report is "open" (counts for the 100 m duplicate check and for deadlines). */
export const OPEN_STATES: readonly ReportState[] = ['new', 'moderated', 'accepted', 'assigned', 'in_progress', 'triage'];

/** Actions staff take under `feedback.triage` (the provincial desk); the others need `feedback.handle`. */
export const TRIAGE_ACTIONS: readonly ReportAction[] = ['reassign'];
export const CITIZEN_ACTIONS: readonly ReportAction[] = ['rate', 'close'];

export function isAllowed(action: ReportAction, state: ReportState): boolean {
  return allowedFrom[action].includes(state);
}

/** The state after an action (rate depends on the answer and on whether it was reopened before). */
export function nextState(
  action: ReportAction,
  r: { state: ReportState; moderated: boolean; reopened: boolean },
  opts: { remove?: boolean; satisfied?: boolean } = {},
): ReportState {
  switch (action) {
    case 'moderate':
      return opts.remove ? 'removed' : 'moderated';
    case 'accept':
      return 'accepted';
    case 'assign':
      return 'assigned';
    case 'start':
      return 'in_progress';
    case 'resolve':
      return 'resolved';
    case 'return':
      return 'triage';
    case 'reassign':
      return r.moderated ? 'moderated' : 'new';
    case 'extend':
      return r.state;
    case 'rate':
      return opts.satisfied || r.reopened ? 'rated' : 'in_progress';
    case 'close':
      return 'closed';
  }
}
