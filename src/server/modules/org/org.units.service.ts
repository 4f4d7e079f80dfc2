/**
 * Use cases on administrative units: the public directory with its history, and the province-wide
 * administrator's writes (create, rename/reclassify, close with a successor, CSV import).
 */
import { sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { RequestContext } from '../../platform/auth/actor';
import type { Database, Orm } from '../../platform/db/database';
import { decodeCursor, pageOf } from '../../platform/http/pagination';
import { Problem, problems } from '../../platform/http/problem';
import { isIsoDate, levelLabel, levelOfCode, todayVn, typesByLevel, type UnitLevel, unitCodeError, unitTypeLabels } from './org.codes';
import { DEFAULT_BASELINE, defaultLegalBasis, detectUnitFormat, parseCsv, planUnitImport } from './org.import';
import type { OrgRepo, UnitRow } from './org.repo';
import type { ImportQuery, ImportReport, Unit, UnitClose, UnitCreate, UnitDetail, UnitListQuery, UnitPatch } from './org.schemas';
import { foldVn, isUniqueViolation, requireProvinceWide, unitOut } from './org.shared';

const unitRef = (u: UnitRow) => ({ code: u.code, name: u.name, level: u.level, validTo: u.valid_to });

const codeTaken = (u: UnitRow) =>
  problems.conflict(
    'unit_code_taken',
    'Mã đơn vị hành chính đã được dùng',
    u.valid_to
      ? `Mã ${u.code} đã dùng cho ${u.name} (hết hiệu lực từ ${u.valid_to}). Mã đơn vị hành chính không bao giờ được dùng lại.`
      : `Mã ${u.code} đang là mã của ${u.name}.`,
    [{ field: 'body/code', message: 'Mã đã được dùng' }],
  );

export function unitsService(db: Database, repo: OrgRepo) {
  const inTx = <T>(fn: (tx: Orm) => Promise<T>) => db.orm.transaction(fn);

  /** Checks the parent province (and district) of a unit; returns field errors. */
  async function parentErrors(
    level: UnitLevel,
    provinceCode: string | null | undefined,
    districtCode: string | null | undefined,
    day: string,
    tx: Orm,
  ) {
    const errors: { field: string; message: string }[] = [];
    if (level === 'province') {
      if (provinceCode) errors.push({ field: 'body/provinceCode', message: 'Đơn vị cấp tỉnh không trực thuộc tỉnh nào' });
      if (districtCode) errors.push({ field: 'body/districtCode', message: 'Đơn vị cấp tỉnh không trực thuộc huyện' });
      return errors;
    }
    if (!provinceCode) {
      errors.push({ field: 'body/provinceCode', message: 'Cần ghi tỉnh trực thuộc' });
      return errors;
    }
    const p = await repo.unitByCode(provinceCode, tx);
    if (p?.level !== 'province') errors.push({ field: 'body/provinceCode', message: `Không có tỉnh mã ${provinceCode}` });
    else if ((p.valid_to && p.valid_to <= day) || (p.valid_from && p.valid_from > day)) {
      errors.push({ field: 'body/provinceCode', message: `${p.name} không có hiệu lực vào ngày ${day}` });
    }
    if (districtCode) {
      if (level !== 'commune') errors.push({ field: 'body/districtCode', message: 'Chỉ đơn vị cấp xã mới trực thuộc huyện' });
      const d = await repo.unitByCode(districtCode, tx);
      if (d?.level !== 'district') errors.push({ field: 'body/districtCode', message: `Không có huyện mã ${districtCode}` });
      else if (d.province_code !== provinceCode) {
        errors.push({ field: 'body/districtCode', message: `${d.name} không thuộc tỉnh ${provinceCode}` });
      }
    }
    return errors;
  }

  function typeErrors(level: UnitLevel, type: string) {
    return typesByLevel[level].includes(type as never)
      ? []
      : [
          {
            field: 'body/type',
            message: `Loại của đơn vị ${levelLabel(level)} phải là một trong: ${typesByLevel[level].map((t) => unitTypeLabels[t]).join(', ')}`,
          },
        ];
  }

  return {
    /** Public: the directory of administrative units is public information. */
    async listUnits(_ctx: RequestContext, query: UnitListQuery): Promise<{ items: Unit[]; nextCursor: string | null }> {
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor);
      if (query.at && !isIsoDate(query.at)) throw problems.validation([{ field: 'query/at', message: 'Ngày không hợp lệ' }]);
      const at = query.at ?? (query.includeClosed ? null : todayVn());
      const fold = query.q ? foldVn(query.q) : '';
      const rows = await repo.listUnits({
        at,
        level: query.level,
        type: query.type,
        provinceCode: query.provinceCode,
        fold: fold || undefined,
        afterCode: after ? String(after[0]) : undefined,
        limit: limit + 1,
      });
      const page = pageOf(rows, limit, (r) => [r.code]);
      return { items: page.items.map(unitOut), nextCursor: page.nextCursor };
    },

    /** Public: one unit with its history — earlier names, predecessors, successors. */
    async getUnit(_ctx: RequestContext, code: string): Promise<UnitDetail> {
      const u = await repo.unitByCode(code);
      if (!u) throw problems.notFound(`Không có đơn vị hành chính mã ${code}.`);
      const [province, successor, chain, from, to, versions] = await Promise.all([
        u.province_code ? repo.unitByCode(u.province_code) : undefined,
        u.successor_code ? repo.unitByCode(u.successor_code) : undefined,
        u.successor_code ? repo.successorChain(code) : [],
        repo.linksFrom(code),
        repo.linksTo(code),
        repo.unitVersions(code),
      ]);
      const link = (l: (typeof from)[number]) => ({
        code: l.code,
        name: l.name,
        level: l.level,
        inForce: l.valid_to === null,
        relation: l.relation,
        effectiveDate: l.effective_date,
        legalBasis: l.legal_basis,
        note: l.note,
      });
      const { current: _c, ...base } = unitOut(u);
      return {
        ...base,
        province: province ? unitRef(province) : null,
        successor: successor ? unitRef(successor) : null,
        successorChain: chain.map(unitRef),
        successors: from.map(link),
        predecessors: to.map(link),
        versions: versions.map((v) => ({
          name: v.name,
          type: v.type as Unit['type'],
          provinceCode: v.province_code,
          districtCode: v.district_code,
          validFrom: v.valid_from,
          validTo: v.valid_to,
          legalBasis: v.legal_basis,
        })),
      };
    },

    async createUnit(ctx: RequestContext, body: UnitCreate): Promise<Unit> {
      requireProvinceWide(ctx.actor, 'org.units.manage');
      const level = body.level;
      const errors = [];
      const codeErr = unitCodeError(level, body.code);
      if (codeErr) errors.push({ field: 'body/code', message: codeErr });
      errors.push(...typeErrors(level, body.type));
      if (body.validFrom && !isIsoDate(body.validFrom)) errors.push({ field: 'body/validFrom', message: 'Ngày không hợp lệ' });
      if (errors.length) throw problems.validation(errors);
      const day = body.validFrom ?? todayVn();
      try {
        return await inTx(async (tx) => {
          const existing = await repo.unitByCode(body.code, tx);
          if (existing) throw codeTaken(existing);
          const pErrors = await parentErrors(level, body.provinceCode, body.districtCode, day, tx);
          if (pErrors.length) throw problems.validation(pErrors);
          const row: UnitRow = {
            code: body.code,
            level,
            name: body.name.trim(),
            type: body.type,
            province_code: body.provinceCode ?? null,
            district_code: body.districtCode ?? null,
            valid_from: body.validFrom ?? null,
            valid_to: null,
            successor_code: null,
            legal_basis: body.legalBasis ?? null,
            note: body.note ?? null,
          };
          await repo.insertUnits(tx, [toInsert(row)]);
          await recordAudit(tx, ctx, {
            action: 'org.unit.create',
            targetType: 'admin_unit',
            targetId: row.code,
            details: { name: row.name, level },
          });
          return unitOut(row);
        });
      } catch (e) {
        if (!(e instanceof Problem) && isUniqueViolation(e)) {
          throw problems.conflict('unit_code_taken', 'Mã đơn vị hành chính đã được dùng', `Mã ${body.code} đã được dùng.`);
        }
        throw e;
      }
    },

    /**
     * Corrects a unit in place, or — with effectiveFrom — records a change (rename, reclassification,
     * move to another province) and keeps the earlier state in the history.
     */
    async patchUnit(ctx: RequestContext, code: string, body: UnitPatch): Promise<Unit> {
      requireProvinceWide(ctx.actor, 'org.units.manage');
      return inTx(async (tx) => {
        const u = await repo.unitLock(code, tx);
        if (!u) throw problems.notFound(`Không có đơn vị hành chính mã ${code}.`);
        const errors = [];
        if (body.type) errors.push(...typeErrors(u.level, body.type));
        if (body.effectiveFrom && !isIsoDate(body.effectiveFrom))
          errors.push({ field: 'body/effectiveFrom', message: 'Ngày không hợp lệ' });
        if (body.provinceCode && u.level === 'province')
          errors.push({ field: 'body/provinceCode', message: 'Đơn vị cấp tỉnh không trực thuộc tỉnh nào' });
        if (errors.length) throw problems.validation(errors);
        const day = body.effectiveFrom ?? todayVn();
        if (body.provinceCode && body.provinceCode !== u.province_code) {
          const pErrors = await parentErrors(u.level, body.provinceCode, null, day, tx);
          if (pErrors.length) throw problems.validation(pErrors);
        }
        const next: UnitRow = {
          ...u,
          name: body.name?.trim() ?? u.name,
          type: body.type ?? u.type,
          province_code: body.provinceCode ?? u.province_code,
          // Moving to another province leaves the old district behind.
          district_code: body.provinceCode && body.provinceCode !== u.province_code ? null : u.district_code,
          legal_basis: body.legalBasis !== undefined ? body.legalBasis : u.legal_basis,
          note: body.note !== undefined ? body.note : u.note,
        };
        const eff = body.effectiveFrom;
        if (eff && eff !== u.valid_from) {
          if (u.valid_from && eff < u.valid_from) {
            throw problems.unprocessable(
              'unit_change_before_state',
              'Ngày hiệu lực không hợp lệ',
              `Trạng thái hiện tại của ${u.name} có hiệu lực từ ${u.valid_from}; ngày thay đổi phải sau ngày đó.`,
              [{ field: 'body/effectiveFrom', message: `Phải sau ${u.valid_from}` }],
            );
          }
          if (u.valid_to && eff >= u.valid_to) {
            throw problems.conflict('unit_closed', 'Đơn vị đã hết hiệu lực', `${u.name} đã hết hiệu lực từ ${u.valid_to}.`);
          }
          await repo.insertVersions(tx, [
            {
              code,
              name: u.name,
              type: u.type,
              provinceCode: u.province_code,
              districtCode: u.district_code,
              validFrom: u.valid_from,
              validTo: eff,
              legalBasis: u.legal_basis,
            },
          ]);
          next.valid_from = eff;
        }
        await repo.updateUnit(tx, code, {
          name: next.name,
          type: next.type,
          provinceCode: next.province_code,
          districtCode: next.district_code,
          validFrom: next.valid_from,
          legalBasis: next.legal_basis,
          note: next.note,
        });
        await recordAudit(tx, ctx, {
          action: 'org.unit.update',
          targetType: 'admin_unit',
          targetId: code,
          details: { fields: Object.keys(body), effectiveFrom: eff ?? null },
        });
        return unitOut(next);
      });
    },

    /** Closes a unit (merger, dissolution): it keeps its row and code, gets validTo and a successor. */
    async closeUnit(ctx: RequestContext, code: string, body: UnitClose): Promise<Unit> {
      requireProvinceWide(ctx.actor, 'org.units.manage');
      if (!isIsoDate(body.validTo)) throw problems.validation([{ field: 'body/validTo', message: 'Ngày không hợp lệ' }]);
      return inTx(async (tx) => {
        const u = await repo.unitLock(code, tx);
        if (!u) throw problems.notFound(`Không có đơn vị hành chính mã ${code}.`);
        if (u.valid_to) {
          throw problems.conflict(
            'unit_already_closed',
            'Đơn vị đã hết hiệu lực',
            `${u.name} đã hết hiệu lực từ ${u.valid_to} (kế thừa: ${u.successor_code ?? 'không'}).`,
          );
        }
        if (u.valid_from && body.validTo <= u.valid_from) {
          throw problems.validation([{ field: 'body/validTo', message: `Phải sau ngày có hiệu lực ${u.valid_from}` }]);
        }
        if (body.successorCode === code) {
          throw problems.validation([{ field: 'body/successorCode', message: 'Đơn vị không thể kế thừa chính nó' }]);
        }
        const s = await repo.unitByCode(body.successorCode, tx);
        if (!s) throw problems.validation([{ field: 'body/successorCode', message: `Không có đơn vị mã ${body.successorCode}` }]);
        const levelOk = s.level === u.level || (u.level === 'district' && s.level !== 'district');
        if (!levelOk) {
          throw problems.validation([{ field: 'body/successorCode', message: `Đơn vị kế thừa phải cùng cấp ${levelLabel(u.level)}` }]);
        }
        const sInForce = (!s.valid_from || s.valid_from <= body.validTo) && (!s.valid_to || s.valid_to > body.validTo);
        if (!sInForce) {
          throw problems.validation([{ field: 'body/successorCode', message: `${s.name} không có hiệu lực vào ngày ${body.validTo}` }]);
        }
        if (u.level !== 'commune') {
          const children = await repo.countInForceChildren(code, body.validTo, tx);
          if (children > 0) {
            throw problems.conflict(
              'unit_has_children',
              'Còn đơn vị trực thuộc đang có hiệu lực',
              `${u.name} còn ${children} đơn vị trực thuộc có hiệu lực sau ngày ${body.validTo}; hãy sắp xếp các đơn vị đó trước.`,
            );
          }
        }
        await repo.updateUnit(tx, code, { validTo: body.validTo, successorCode: s.code });
        await repo.insertLinks(tx, [
          {
            predecessorCode: code,
            successorCode: s.code,
            relation: 'full',
            effectiveDate: body.validTo,
            legalBasis: body.legalBasis,
            note: null,
          },
        ]);
        await recordAudit(tx, ctx, {
          action: 'org.unit.close',
          targetType: 'admin_unit',
          targetId: code,
          details: { validTo: body.validTo, successorCode: s.code, legalBasis: body.legalBasis },
        });
        return unitOut({ ...u, valid_to: body.validTo, successor_code: s.code });
      });
    },

    /**
     * Imports a CSV of units (three formats, see org.import.ts). All or nothing: with any rejected
     * row nothing is written and the answer is 422 with the report. The seed calls it as the system.
     */
    async importUnits(ctx: RequestContext, csv: string, query: ImportQuery): Promise<ImportReport> {
      requireProvinceWide(ctx.actor, 'org.units.manage');
      return importUnitsCsv(ctx, csv, query);
    },
  };

  async function importUnitsCsv(ctx: RequestContext, csv: string, query: ImportQuery): Promise<ImportReport> {
    const validFrom = query.validFrom ?? DEFAULT_BASELINE;
    if (!isIsoDate(validFrom)) throw problems.validation([{ field: 'query/validFrom', message: 'Ngày không hợp lệ' }]);
    const { header, rows } = parseCsv(csv);
    const format = detectUnitFormat(header);
    const legalBasis = query.legalBasis ?? (defaultLegalBasis[format] || null);
    return inTx(async (tx) => {
      // Serialise imports: two concurrent imports planned against the same snapshot would clash.
      await tx.execute(sqlLock);
      const snap = await repo.unitSnapshot(tx);
      const plan = planUnitImport(format, rows, snap, { validFrom, legalBasis });
      if (plan.report.rejected.length > 0) {
        if (query.dryRun) return plan.report;
        throw rejectedImport(plan.report);
      }
      if (query.dryRun) return plan.report;
      const nothingToDo = !plan.inserts.length && !plan.updates.length && !plan.versions.length && !plan.links.length;
      if (nothingToDo) return { ...plan.report, applied: true };
      await repo.insertUnits(tx, plan.inserts.map(toInsert));
      await repo.bulkUpdateUnits(tx, plan.updates);
      await repo.insertVersions(tx, plan.versions);
      await repo.insertLinks(tx, plan.links);
      const report = { ...plan.report, applied: true };
      await recordAudit(tx, ctx, {
        action: 'org.unit.import',
        targetType: 'admin_unit',
        targetId: null,
        details: { format, validFrom, counts: report.counts },
      });
      return report;
    });
  }
}

const sqlLock = sql`select pg_advisory_xact_lock(727276)`;

export function rejectedImport(report: ImportReport): Problem {
  const errors = report.rejected.flatMap((r) => r.reasons.map((m) => ({ field: `line/${r.line}`, message: m })));
  return new Problem(
    422,
    'import_rejected',
    'Tệp có dòng không hợp lệ, chưa ghi dữ liệu nào',
    `${report.counts.rejected}/${report.counts.rows} dòng bị từ chối. Sửa các dòng này rồi nhập lại cả tệp.`,
    errors.slice(0, 1000),
    { report },
  );
}

function toInsert(u: UnitRow) {
  const level = levelOfCode(u.code) ?? u.level;
  return {
    code: u.code,
    level,
    name: u.name,
    type: u.type,
    provinceCode: u.province_code,
    districtCode: u.district_code,
    validFrom: u.valid_from,
    validTo: u.valid_to,
    successorCode: u.successor_code,
    legalBasis: u.legal_basis,
    note: u.note,
  };
}
