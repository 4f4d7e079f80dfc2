/**
 * The standard one-stop process (spec §1.4, NĐ 61 Art. 17–20) as a definition: the desk forwards the
 * received dossier, the head of the resolving agency's department assigns a specialist, the specialist
 * appraises and drafts the result, the leader approves (or sends it back), the desk returns the result.
 *
 * Budgets split the legal time in whole hours: desk 0, assignment 10 %, appraisal 50 %,
 * approval 20 %, return 20 % — rounded down, with the rounding left to the appraisal, so the sum is
 * exactly the legal time. Without a fixed legal time the steps carry no budget.
 */
import type { WorkflowDefinition } from './workflows.schemas';

export function defaultDefinition(processingHours: number | null): WorkflowDefinition {
  const share = (pct: number) => (processingHours === null ? undefined : Math.floor((processingHours * pct) / 100));
  const assign = share(10);
  const approve = share(20);
  const giveBack = share(20);
  const appraise = processingHours === null ? undefined : processingHours - (assign ?? 0) - (approve ?? 0) - (giveBack ?? 0);
  const budget = (h: number | undefined) => (h === undefined ? {} : { budgetHours: h });
  return {
    states: [
      { key: 'received', name: 'Đã tiếp nhận', publicStatus: 2 },
      { key: 'assigned', name: 'Chờ phân công thụ lý', publicStatus: 4 },
      { key: 'appraising', name: 'Đang thẩm định', publicStatus: 4 },
      { key: 'awaiting_approval', name: 'Chờ phê duyệt', publicStatus: 4 },
      { key: 'result_ready', name: 'Đã có kết quả, chờ trả', publicStatus: 9 },
      { key: 'returned', name: 'Đã trả kết quả', publicStatus: 10, terminal: true },
    ],
    start: 'received',
    actions: [
      {
        key: 'forward',
        name: 'Chuyển hồ sơ đến cơ quan giải quyết',
        from: ['received'],
        to: 'assigned',
        roles: ['motcua'],
        where: 'desk',
        ...budget(processingHours === null ? undefined : 0),
      },
      {
        key: 'assign',
        name: 'Phân công chuyên viên thụ lý',
        from: ['assigned'],
        to: 'appraising',
        roles: ['lanhdao'],
        where: 'resolving_agency',
        assigns: true,
        ...budget(assign),
      },
      {
        key: 'submit_appraisal',
        name: 'Thẩm định, trình dự thảo kết quả',
        from: ['appraising'],
        to: 'awaiting_approval',
        roles: ['chuyenvien'],
        where: 'resolving_agency',
        ...budget(appraise),
      },
      {
        key: 'approve',
        name: 'Phê duyệt kết quả',
        from: ['awaiting_approval'],
        to: 'result_ready',
        roles: ['lanhdao'],
        where: 'resolving_agency',
        signsResult: true,
        ...budget(approve),
      },
      {
        key: 'send_back',
        name: 'Trả lại để thẩm định lại',
        from: ['awaiting_approval'],
        to: 'appraising',
        roles: ['lanhdao'],
        where: 'resolving_agency',
        sendBack: true,
        requiresNote: true,
      },
      {
        key: 'return_result',
        name: 'Trả kết quả cho người nộp',
        from: ['result_ready'],
        to: 'returned',
        roles: ['motcua'],
        where: 'desk',
        returnsResult: true,
        ...budget(giveBack),
      },
    ],
    branches: [],
  };
}
