/**
 * The rules of a petition (phản ánh, kiến nghị về quy định hành chính; NĐ 20/2008/NĐ-CP, spec §10.1), pure:
 * content categories (Art. 5), channels (Art. 6), states and which action is allowed from which state
 * (intake Art. 9, handling Art. 14), the assessment criteria, and the TT 01/2018 indicator-8 points.
 *
 *   received ─ classify: rejected (formal requirements not met, reason)
 *            ─ forward (about officials' behaviour / outside competence; within 05 working days) → forwarded
 *            ─ classify: in competence → accepted ─ assign → in_progress ─ answer (published) → answered ─ close → closed
 *   note and extend (once, with reason) while accepted / in progress.
 */

export type PetitionState = 'received' | 'rejected' | 'forwarded' | 'accepted' | 'in_progress' | 'answered' | 'closed';
export type PetitionAction = 'classify' | 'forward' | 'assign' | 'note' | 'extend' | 'answer' | 'close';
export type Channel = 'online' | 'written' | 'phone' | 'form';

/** NĐ 20/2008 Art. 5: the content of a petition. */
export const categories: Record<number, string> = {
  1: 'Vướng mắc do hành vi chậm trễ, gây phiền hà hoặc không thực hiện, thực hiện không đúng quy định hành chính của cơ quan, cán bộ',
  2: 'Quy định hành chính không phù hợp với thực tế',
  3: 'Quy định hành chính không đồng bộ, thiếu thống nhất',
  4: 'Quy định hành chính không hợp pháp',
  5: 'Quy định hành chính trái với điều ước quốc tế mà Việt Nam là thành viên',
  6: 'Những vấn đề khác liên quan đến quy định hành chính',
  7: 'Phương án xử lý những phản ánh nêu trên',
  8: 'Sáng kiến ban hành mới quy định hành chính',
};

export const channelNames: Record<Channel, string> = {
  online: 'Trực tuyến',
  written: 'Văn bản',
  phone: 'Điện thoại',
  form: 'Phiếu lấy ý kiến',
};

export const stateNames: Record<PetitionState, string> = {
  received: 'Đã tiếp nhận, vào sổ',
  rejected: 'Không tiếp nhận xử lý',
  forwarded: 'Đã chuyển cơ quan có thẩm quyền',
  accepted: 'Thuộc thẩm quyền, chờ xử lý',
  in_progress: 'Đang xử lý',
  answered: 'Đã công bố kết quả',
  closed: 'Đã lưu trữ',
};

export const actionNames: Record<PetitionAction | 'submit' | 'reject' | 'accept', string> = {
  submit: 'Tiếp nhận, vào sổ theo dõi',
  classify: 'Phân loại',
  reject: 'Không tiếp nhận xử lý (không đủ điều kiện)',
  accept: 'Phân loại: thuộc thẩm quyền',
  forward: 'Chuyển cơ quan có thẩm quyền',
  assign: 'Giao cán bộ xử lý',
  note: 'Ghi nhận đối thoại, đánh giá',
  extend: 'Gia hạn xử lý',
  answer: 'Công bố kết quả xử lý',
  close: 'Lưu trữ',
};

/** NĐ 20/2008 Art. 14 (as amended): what the handling officer assesses a regulation by. */
export const criteria = {
  necessity: 'Sự cần thiết',
  legality: 'Tính hợp lý, hợp pháp',
  simplicity: 'Tính đơn giản, dễ hiểu, dễ thực hiện',
  feasibility: 'Tính khả thi',
  consistency: 'Tính đồng bộ, thống nhất',
  treaty: 'Sự phù hợp với điều ước quốc tế',
} as const;
export type Criterion = keyof typeof criteria;

export const allowedFrom: Record<PetitionAction, readonly PetitionState[]> = {
  classify: ['received'],
  forward: ['received', 'accepted'],
  assign: ['accepted', 'in_progress'],
  note: ['accepted', 'in_progress'],
  extend: ['accepted', 'in_progress'],
  answer: ['accepted', 'in_progress'],
  close: ['answered'],
};

/** Actions the assigned officer may take himself (the others need the grant over the receiving agency). */
export const HANDLER_ACTIONS: readonly PetitionAction[] = ['note', 'extend', 'answer'];

export const OPEN_STATES: readonly PetitionState[] = ['received', 'accepted', 'in_progress'];

export function isAllowed(action: PetitionAction, state: PetitionState): boolean {
  return allowedFrom[action].includes(state);
}

export function nextState(action: PetitionAction, state: PetitionState, decision?: 'rejected' | 'in_competence'): PetitionState {
  switch (action) {
    case 'classify':
      return decision === 'rejected' ? 'rejected' : 'accepted';
    case 'forward':
      return 'forwarded';
    case 'assign':
      return 'in_progress';
    case 'note':
    case 'extend':
      return state;
    case 'answer':
      return 'answered';
    case 'close':
      return 'closed';
  }
}

/**
 * TT 01/2018 indicator 8 (handling of PAKN): 2 points when there is none or 100 % are on time and none is
 * protracted; 1 point at ≥ 90 % on time and none protracted; else 0. `protracted` = petitions still unanswered
 * after their handling due date.
 */
export function indicator8(onTime: number, total: number, protracted: number): 0 | 1 | 2 {
  if (protracted > 0) return 0;
  if (total === 0 || onTime >= total) return 2;
  return onTime / total >= 0.9 ? 1 : 0;
}

/**
 * Removes personal data from a text shown publicly: e-mail addresses, phone and ID numbers (runs of 8+ digits,
 * spaces, dots or dashes allowed between them) and the given names (the petitioner's).
 */
export function redact(text: string, names: (string | null | undefined)[] = []): string {
  let out = text.replace(/[^\s@]+@[^\s@]+\.[^\s@]+/g, '[…]').replace(/\+?\d(?:[ .-]?\d){7,}/g, '[…]');
  for (const n of names) {
    const name = n?.trim();
    if (name && name.length >= 3) out = out.split(name).join('[…]');
  }
  return out;
}

/** A short public summary of a petition's content without personal data, at most `max` characters. */
export function summarize(content: string, names: (string | null | undefined)[] = [], max = 300): string {
  const text = redact(content, names).replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const stop = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf(' '));
  return `${cut.slice(0, stop > max / 2 ? stop : max).trim()}…`;
}
