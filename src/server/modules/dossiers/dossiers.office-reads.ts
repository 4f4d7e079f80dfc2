/**
 * What the office reads about dossiers in processing: the work queues, the register (Mẫu 06) as a list
 * and as .xlsx, the control slip (Mẫu 05) built from the action log, and the public verification of a
 * signed e-result.
 */
import { createHash } from 'node:crypto';
import { requireAccess, requireSignedIn, scopesFor } from '../../platform/auth/access';
import type { RequestContext } from '../../platform/auth/actor';
import { addWorkingHours } from '../../platform/calendar';
import { decodeCursorPair, pageOf } from '../../platform/http/pagination';
import { problems } from '../../platform/http/problem';
import { agencyById } from '../org';
import { renderControlSlip } from './dossiers.pdf-processing';
import type { RegisterItem, RegisterQuery, WorkItem, WorkQuery } from './dossiers.processing.schemas';
import { type RegisterRow, registerWorkbook } from './dossiers.register';
import type { DossierView } from './dossiers.repo';
import { type DossierSummary, publicStatusNames } from './dossiers.schemas';
import type { DossiersCore } from './dossiers.service';
import type { Handover } from './dossiers.state';
import { timeliness } from './dossiers.steps';

const PROCESS = 'dossiers.process' as const;
const RECEIVE = 'dossiers.receive' as const;
const REGISTER_EXPORT_LIMIT = 20_000;

/** Finished before the due day, on it, or after; still open within time or overdue. */
export function dossierTimeliness(
  d: Pick<DossierView, 'dueAt' | 'completedAt' | 'returnedAt' | 'state'>,
  now = new Date(),
): RegisterRow['timeliness'] {
  const done = d.completedAt ?? d.returnedAt;
  if (done) return timeliness(new Date(done), d.dueAt) ?? 'on_time';
  if (d.state !== 'received' && d.state !== 'supplement_requested') return null;
  return d.dueAt && new Date(d.dueAt).getTime() < now.getTime() ? 'pending_overdue' : 'pending';
}

export function officeReads(core: DossiersCore, summary: (d: DossierView) => DossierSummary) {
  const { db, repo, calendar, signing } = core;

  /** The work queue of the signed-in officer. */
  async function workList(ctx: RequestContext, q: WorkQuery) {
    requireAccess(ctx.actor, PROCESS);
    requireSignedIn(ctx.actor);
    const limit = q.limit ?? 50;
    const cal = await calendar.data();
    const rows = await repo.work(
      {
        view: q.view ?? 'all',
        accountId: ctx.actor.accountId,
        holds: ctx.actor.grants.map((g) => ({ role: g.role, scope: g.scope })),
        due: q.due,
        // "Due soon" means what the deadline warnings mean by it.
        soonUntil: addWorkingHours(cal, new Date(), core.config.deadlineWarnHours),
        procedureId: q.procedureId,
        q: q.q?.trim() || undefined,
      },
      decodeCursorPair(q.cursor),
      limit,
    );
    const page = pageOf(rows, limit, (r) => [r.stepDueAt ?? 'infinity', r.dossier.id]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map(
        (r): WorkItem => ({
          ...summary(r.dossier),
          branch: r.branch,
          step: r.step,
          stepName: r.stepName,
          stepAgencyName: r.agencyName,
          stepDueAt: r.stepDueAt,
          stepEnteredAt: r.enteredAt,
          assigneeId: r.assigneeId,
          assigneeLabel: r.dossier.steps.find((s) => (s.branch ?? null) === r.branch)?.assigneeLabel ?? null,
        }),
      ),
    };
  }

  function registerScopes(ctx: RequestContext): string[] | 'all' {
    requireSignedIn(ctx.actor);
    const a = scopesFor(ctx.actor, RECEIVE);
    const b = scopesFor(ctx.actor, PROCESS);
    if (a === 'all' || b === 'all') return 'all';
    const all = [...new Set([...a, ...b])];
    if (!all.length) throw problems.forbidden('Bạn không có quyền xem sổ theo dõi hồ sơ.');
    return all;
  }

  function registerFilters(q: RegisterQuery) {
    if (q.from && q.to && q.from > q.to) throw problems.validation([{ field: 'query/to', message: 'Ngày kết thúc phải sau ngày bắt đầu' }]);
    return {
      from: q.from,
      to: q.to,
      agencyId: q.agencyId,
      procedureId: q.procedureId,
      status: q.status,
      channel: q.channel ? Number(q.channel) : undefined,
      timeliness: q.timeliness,
    };
  }

  function registerItem(d: DossierView): RegisterItem {
    return {
      id: d.id,
      code: d.code as string,
      procedureName: d.procedureName,
      applicantName: d.applicant.name,
      applicantAddress: d.applicant.address,
      applicantPhone: d.applicant.phone,
      agencyName: d.agencyName,
      channel: d.channel,
      receivedAt: d.receivedAt,
      dueAt: d.dueAt,
      completedAt: d.completedAt,
      returnedAt: d.returnedAt,
      returnMethod: d.returnMethod,
      publicStatus: d.publicStatus,
      publicStatusName: d.publicStatus ? (publicStatusNames[d.publicStatus] ?? null) : null,
      timeliness: dossierTimeliness(d),
    };
  }

  async function register(ctx: RequestContext, q: RegisterQuery) {
    const scopes = registerScopes(ctx);
    const limit = q.limit ?? 50;
    const rows = await repo.register(scopes, registerFilters(q), decodeCursorPair(q.cursor), limit);
    const page = pageOf(rows, limit, (d) => [d.receivedAt, d.id]);
    return { items: page.items.map(registerItem), nextCursor: page.nextCursor };
  }

  /** The register as .xlsx (Mẫu 06 columns), up to 20,000 dossiers per file. */
  async function registerXlsx(ctx: RequestContext, q: RegisterQuery): Promise<{ bytes: Buffer; name: string }> {
    const scopes = registerScopes(ctx);
    const rows = await repo.register(scopes, registerFilters(q), null, REGISTER_EXPORT_LIMIT);
    if (rows.length > REGISTER_EXPORT_LIMIT) {
      throw problems.unprocessable('too_many_rows', 'Quá nhiều hồ sơ', 'Hãy thu hẹp khoảng thời gian: mỗi tệp xuất tối đa 20.000 hồ sơ.');
    }
    const agency = q.agencyId ? await agencyById(db, q.agencyId) : null;
    const filters: string[] = [];
    if (agency) filters.push(`Cơ quan: ${agency.name}`);
    if (q.status) filters.push(`Trạng thái: ${publicStatusNames[q.status] ?? q.status}`);
    if (q.channel) filters.push(`Kênh nộp: ${{ '1': 'Trực tiếp', '2': 'Trực tuyến', '3': 'Bưu chính' }[q.channel]}`);
    if (q.timeliness) filters.push(`Tiến độ: ${q.timeliness}`);
    const bytes = await registerWorkbook(
      rows.map((d) => ({
        code: d.code as string,
        procedureName: d.procedureName,
        applicantName: d.applicant.name,
        applicantAddress: d.applicant.address,
        applicantPhone: d.applicant.phone,
        leadAgencyName: d.agencyName,
        receivedAt: d.receivedAt ? new Date(d.receivedAt) : null,
        dueAt: d.dueAt ? new Date(d.dueAt) : null,
        returnedAt: d.returnedAt ? new Date(d.returnedAt) : null,
        returnMethod: d.returnMethod,
        publicStatusName: d.publicStatus ? (publicStatusNames[d.publicStatus] ?? null) : null,
        timeliness: dossierTimeliness(d),
        channel: d.channel,
      })),
      {
        title: 'SỔ THEO DÕI HỒ SƠ',
        agencyName: agency?.name ?? core.config.provinceName,
        periodFrom: q.from ?? null,
        periodTo: q.to ?? null,
        generatedAt: new Date(),
        filters,
      },
    );
    return { bytes, name: `so-theo-doi-ho-so${q.from ? `-${q.from}` : ''}${q.to ? `-${q.to}` : ''}.xlsx` };
  }

  /** Mẫu 05, from the log: reception at the desk, then each hand-over with its verdict. */
  async function controlSlip(ctx: RequestContext, id: string): Promise<{ bytes: Uint8Array; name: string }> {
    const d = await core.load(id);
    core.requireRead(ctx, d);
    if (ctx.actor.kind !== 'staff' && ctx.actor.kind !== 'system') throw problems.notFound();
    if (!d.receivedAt)
      throw problems.conflict('not_received', 'Hồ sơ chưa được tiếp nhận', 'Phiếu kiểm soát có từ khi hồ sơ được tiếp nhận.');
    const actions = await repo.actions(d.id);
    const rows = [];
    for (const a of actions) {
      const p = a.payload as Record<string, unknown>;
      if (a.action === 'receive') {
        rows.push({
          fromUnit: 'Người nộp hồ sơ',
          fromPerson: d.applicant.name,
          toUnit: d.deskAgencyName,
          toPerson: a.actor_label,
          at: new Date(a.at),
          status: null,
          note: 'Tiếp nhận hồ sơ',
        });
      } else if (a.action === 'advance') {
        const h = p.handover as Handover;
        rows.push({
          fromUnit: h.fromAgencyName,
          fromPerson: a.actor_label,
          toUnit: h.toAgencyName,
          toPerson: null,
          at: new Date(a.at),
          status: h.status,
          note: String(p.name ?? '') + (a.note ? ` — ${a.note}` : ''),
        });
      } else if (
        a.action === 'request_supplement' ||
        a.action === 'supplement' ||
        a.action === 'apologize' ||
        a.action === 'stop' ||
        a.action === 'withdraw'
      ) {
        rows.push({
          fromUnit: a.action === 'supplement' ? 'Người nộp hồ sơ' : d.agencyName,
          fromPerson: a.actor_label,
          toUnit: a.action === 'supplement' ? d.agencyName : 'Người nộp hồ sơ',
          toPerson: null,
          at: new Date(a.at),
          status: null,
          note: actionNote(a.action),
        });
      }
    }
    const desk = await agencyById(db, d.deskAgencyId);
    const parent = desk?.parentId ? await agencyById(db, desk.parentId) : null;
    const coAgencies = [
      ...new Set(d.steps.flatMap((s) => s.holders.map((h) => h.agencyName)).concat(d.consultations.map((c) => c.agencyName))),
    ].filter((n) => n !== d.agencyName && n !== d.deskAgencyName);
    const bytes = await renderControlSlip({
      desk: { name: desk?.name ?? d.deskAgencyName, parentName: parent?.name ?? null },
      number: String(d.code?.split('-').at(-1) ?? ''),
      code: d.code as string,
      trackingUrl: core.trackingUrl(d.code as string),
      leadAgencyName: d.agencyName,
      coAgencyNames: coAgencies,
      procedureName: d.procedureName,
      applicantName: d.applicant.name,
      receivedAt: new Date(d.receivedAt),
      dueAt: d.dueAt ? new Date(d.dueAt) : null,
      rows,
      issuedAt: new Date(),
    });
    return { bytes, name: `mau-05-phieu-kiem-soat-${d.code}.pdf` };
  }

  /** Public: what was issued for a code (no personal data). */
  async function issued(code: string) {
    const r = await repo.issuedResult({ code });
    if (!r) throw problems.notFound('Không có kết quả điện tử đã ban hành cho mã hồ sơ này.');
    return {
      code: r.code,
      procedureName: r.procedure_name,
      agencyName: r.agency_name,
      signedAt: new Date(r.result_signed_at).toISOString(),
      sha256: r.result_sha256,
    };
  }

  /** Public: checks an uploaded PDF's signatures and whether it is, byte for byte, an e-result the platform issued. */
  async function verify(pdf: Uint8Array) {
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const [report, r] = await Promise.all([signing.verify(pdf), repo.issuedResult({ sha256 })]);
    const signatures = report.signatures.map((s) => ({
      signer: s.signerName,
      signedAt: s.signingTime?.toISOString() ?? null,
      intact: s.valid,
      trusted: s.trusted === true,
      coversWholeFile: s.coversWholeFile,
    }));
    const issuedResult = r
      ? {
          code: r.code,
          procedureName: r.procedure_name,
          agencyName: r.agency_name,
          signedAt: new Date(r.result_signed_at).toISOString(),
          sha256,
        }
      : null;
    const allGood = signatures.length > 0 && signatures.every((s) => s.intact && s.trusted);
    const message = !report.readable
      ? 'Tệp không phải là PDF hợp lệ.'
      : issuedResult && allGood
        ? `Hợp lệ: đây là kết quả điện tử của hồ sơ ${issuedResult.code} do ${issuedResult.agencyName} ban hành; chữ ký số còn nguyên vẹn.`
        : issuedResult
          ? 'Tệp trùng với kết quả đã ban hành nhưng chữ ký số không được xác thực đầy đủ.'
          : signatures.length === 0
            ? 'Không tìm thấy chữ ký số trong tệp và tệp không trùng với kết quả nào đã ban hành.'
            : 'Tệp không trùng với kết quả nào đã ban hành (có thể đã bị sửa hoặc không do hệ thống này cấp).';
    return { matches: issuedResult !== null, issued: issuedResult, signatures, message };
  }

  return { workList, register, registerXlsx, controlSlip, issued, verify };
}

function actionNote(action: string): string {
  return (
    {
      request_supplement: 'Yêu cầu bổ sung hồ sơ',
      supplement: 'Nộp bổ sung hồ sơ',
      apologize: 'Phiếu xin lỗi, hẹn lại ngày trả',
      stop: 'Dừng giải quyết',
      withdraw: 'Rút hồ sơ',
    }[action] ?? action
  );
}
