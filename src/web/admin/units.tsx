/**
 * Administrative units (QĐ 19/2025): search and filter, detail with the history chain, create,
 * edit (a correction, or a dated change that keeps the earlier state), close (merge/dissolve into a
 * successor), and CSV import with a per-row error report.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api';
import { can, useMe } from '../app/auth';
import { formatDay } from '../format';
import {
  Button,
  ButtonLink,
  CheckboxField,
  check,
  DataTable,
  Day,
  Details,
  EmptyState,
  ErrorState,
  FilterBar,
  FormView,
  Loading,
  Notice,
  PagedList,
  PageHeader,
  rules,
  Section,
  SelectField,
  Tag,
  TextField,
  useForm,
  usePagedList,
  useUrlFilters,
} from '../ui';
import { CsvImport } from './import';
import {
  codeLength,
  levelLabel,
  typeLabel,
  typesByLevel,
  type Unit,
  type UnitDetail as UnitDetailT,
  type UnitLevel,
  unitLevels,
} from './org';
import { filterField } from './shared';

const FILTERS = ['q', 'level', 'provinceCode', 'includeClosed'] as const;
const crumbs = (t: (k: string) => string) => [
  { to: '/admin', label: t('admin.title') },
  { to: '/admin/units', label: t('admin.sections.units.title') },
];

export function UnitList() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const f = useUrlFilters(FILTERS);
  const list = usePagedList<Unit>('/api/v1/units', {
    q: f.applied.q,
    level: f.applied.level,
    provinceCode: f.applied.provinceCode,
    includeClosed: f.applied.includeClosed === 'true',
  });
  const manage = can(me, 'org.units.manage');
  return (
    <>
      <PageHeader
        title={t('admin.sections.units.title')}
        lead={t('units.lead')}
        breadcrumbs={[{ to: '/admin', label: t('admin.title') }]}
        actions={
          manage && (
            <>
              <ButtonLink to="/admin/units/new" variant="primary">
                {t('units.create')}
              </ButtonLink>
              <ButtonLink to="/admin/units/import">{t('import.action')}</ButtonLink>
            </>
          )
        }
      />
      <FilterBar label={t('units.filters')} onApply={f.apply} onClear={f.clear} active={f.active}>
        <TextField
          label={t('units.search')}
          hint={t('units.searchHint')}
          field={filterField('q')}
          value={f.draft.q}
          onValue={(v) => f.setDraft('q', v)}
          type="search"
        />
        <SelectField
          label={t('units.level')}
          field={filterField('level')}
          value={f.draft.level}
          onValue={(v) => f.setDraft('level', v)}
          placeholder={t('common.all')}
          options={unitLevels.map((l) => ({ value: l, label: levelLabel(t, l) }))}
        />
        <TextField
          label={t('units.provinceCode')}
          field={filterField('provinceCode')}
          value={f.draft.provinceCode}
          onValue={(v) => f.setDraft('provinceCode', v)}
          inputMode="numeric"
          maxLength={2}
        />
        <CheckboxField
          label={t('units.includeClosed')}
          field={filterField('includeClosed')}
          checked={f.draft.includeClosed === 'true'}
          onChecked={(v) => f.setDraft('includeClosed', v ? 'true' : '')}
        />
      </FilterBar>
      <PagedList list={list} emptyTitle={f.active ? t('list.noMatch') : t('units.empty')}>
        {(items) => (
          <DataTable<Unit>
            caption={t('admin.sections.units.title')}
            rows={items}
            rowKey={(u) => u.code}
            columns={[
              { key: 'name', header: t('units.name'), primary: true, render: (u) => <Link to={`/admin/units/${u.code}`}>{u.name}</Link> },
              { key: 'code', header: t('units.code'), render: (u) => <code>{u.code}</code> },
              { key: 'type', header: t('units.type'), render: (u) => typeLabel(t, u.type) },
              { key: 'province', header: t('units.province'), render: (u) => u.provinceCode ?? '—' },
              { key: 'status', header: t('units.status'), render: (u) => <UnitStatus validTo={u.validTo} /> },
            ]}
          />
        )}
      </PagedList>
    </>
  );
}

function UnitStatus({ validTo }: { validTo: string | null }) {
  const { t } = useTranslation();
  return validTo ? (
    <Tag tone="neutral">{t('units.closedOn', { date: formatDay(validTo) })}</Tag>
  ) : (
    <Tag tone="success">{t('units.inForce')}</Tag>
  );
}

function useUnit(code: string) {
  return useQuery({
    queryKey: ['/api/v1/units', code],
    queryFn: () => api.get<UnitDetailT>(`/api/v1/units/${encodeURIComponent(code)}`),
  });
}

export function UnitDetail() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const { data: me } = useMe();
  const unit = useUnit(code);
  const [closed, setClosed] = useState(false);
  if (unit.isPending) return <Loading />;
  if (unit.isError) return <ErrorState error={unit.error} onRetry={() => void unit.refetch()} />;
  const u = unit.data;
  const manage = can(me, 'org.units.manage');
  const unitLink = (ref: { code: string; name: string } | null) =>
    ref ? (
      <Link to={`/admin/units/${ref.code}`}>
        {ref.name} ({ref.code})
      </Link>
    ) : null;
  return (
    <>
      <PageHeader
        title={u.name}
        lead={
          <>
            {t('units.code')} <code>{u.code}</code> · {levelLabel(t, u.level)} · <UnitStatus validTo={u.validTo} />
          </>
        }
        breadcrumbs={crumbs(t)}
        actions={
          manage &&
          !u.validTo && (
            <ButtonLink to={`/admin/units/${u.code}/edit`} variant="secondary">
              {t('common.edit')}
            </ButtonLink>
          )
        }
      />
      {closed && <Notice tone="success" live title={t('units.closeDone')} />}
      <Details
        items={[
          [t('units.code'), <code key="c">{u.code}</code>],
          [t('units.name'), u.name],
          [t('units.level'), levelLabel(t, u.level)],
          [t('units.type'), typeLabel(t, u.type)],
          [t('units.province'), unitLink(u.province)],
          [t('units.districtCode'), u.districtCode],
          [t('units.validFrom'), u.validFrom ? <Day key="vf" value={u.validFrom} /> : t('units.sinceUnknown')],
          [t('units.validTo'), u.validTo ? <Day key="vt" value={u.validTo} /> : t('units.inForce')],
          [t('units.successor'), unitLink(u.successor)],
          [t('units.legalBasis'), u.legalBasis],
          [t('units.note'), u.note],
        ]}
      />

      <Section title={t('units.history')} id="unit-history">
        {u.successorChain.length === 0 && u.predecessors.length === 0 && u.successors.length === 0 && u.versions.length === 0 ? (
          <EmptyState title={t('units.noHistory')} />
        ) : (
          <>
            {u.successorChain.length > 0 && (
              <>
                <h3>{t('units.chain')}</h3>
                <ol className="timeline">
                  <li>
                    <span className="timeline-title">
                      {u.name} ({u.code})
                    </span>
                    <div className="timeline-meta">
                      {u.validTo ? t('units.closedOn', { date: formatDay(u.validTo) }) : t('units.inForce')}
                    </div>
                  </li>
                  {u.successorChain.map((s) => (
                    <li key={s.code}>
                      <span className="timeline-title">{unitLink(s)}</span>
                      <div className="timeline-meta">
                        {s.validTo ? t('units.closedOn', { date: formatDay(s.validTo) }) : t('units.inForce')}
                      </div>
                    </li>
                  ))}
                </ol>
              </>
            )}
            {u.predecessors.length > 0 && <LinkTable title={t('units.predecessors')} links={u.predecessors} />}
            {u.successors.length > 0 && <LinkTable title={t('units.successors')} links={u.successors} />}
            {u.versions.length > 0 && (
              <>
                <h3>{t('units.versions')}</h3>
                <DataTable
                  caption={t('units.versions')}
                  rows={u.versions}
                  rowKey={(v) => v.validTo}
                  columns={[
                    { key: 'name', header: t('units.name'), primary: true, render: (v) => v.name },
                    { key: 'type', header: t('units.type'), render: (v) => typeLabel(t, v.type) },
                    {
                      key: 'period',
                      header: t('units.period'),
                      render: (v) => (
                        <>
                          {v.validFrom ? formatDay(v.validFrom) : '…'} – {formatDay(v.validTo)}
                        </>
                      ),
                    },
                    { key: 'basis', header: t('units.legalBasis'), render: (v) => v.legalBasis ?? '—' },
                  ]}
                />
              </>
            )}
          </>
        )}
      </Section>

      {manage && !u.validTo && <CloseUnit unit={u} onClosed={() => setClosed(true)} />}
    </>
  );
}

function LinkTable({ title, links }: { title: string; links: UnitDetailT['predecessors'] }) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{title}</h3>
      <DataTable
        caption={title}
        rows={links}
        rowKey={(l) => `${l.code}-${l.effectiveDate}`}
        columns={[
          {
            key: 'unit',
            header: t('units.unit'),
            primary: true,
            render: (l) => (
              <Link to={`/admin/units/${l.code}`}>
                {l.name} ({l.code})
              </Link>
            ),
          },
          { key: 'relation', header: t('units.relation'), render: (l) => t(`units.relations.${l.relation}`) },
          { key: 'date', header: t('units.effectiveDate'), render: (l) => <Day value={l.effectiveDate} /> },
          { key: 'basis', header: t('units.legalBasis'), render: (l) => l.legalBasis ?? '—' },
        ]}
      />
    </>
  );
}

function CloseUnit({ unit, onClosed }: { unit: UnitDetailT; onClosed: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form = useForm({
    initial: { validTo: '', successorCode: '', legalBasis: '' },
    validate: (v) => {
      const e = check(v, {
        validTo: [rules.required(), rules.date()],
        successorCode: [rules.required(), rules.pattern(/^[0-9]{2,5}$/, 'validation.unitCode')],
        legalBasis: [rules.required(), rules.maxLength(500)],
      });
      if (!e.successorCode && v.successorCode.trim() === unit.code) e.successorCode = t('units.errors.selfSuccessor');
      if (!e.validTo && unit.validFrom && v.validTo <= unit.validFrom) e.validTo = t('units.errors.closeBeforeStart');
      return e;
    },
    onSubmit: async (v) => {
      await api.post(`/api/v1/units/${encodeURIComponent(unit.code)}/close`, {
        validTo: v.validTo,
        successorCode: v.successorCode.trim(),
        legalBasis: v.legalBasis.trim(),
      });
      await qc.invalidateQueries({ queryKey: ['/api/v1/units'] });
      form.reset();
      onClosed();
    },
  });
  return (
    <Section title={t('units.closeTitle')} id="unit-close">
      <p>{t('units.closeText')}</p>
      <FormView form={form} className="narrow">
        <TextField
          type="date"
          label={t('units.closeDate')}
          required
          field={form.field('validTo', t('units.closeDate'))}
          value={form.values.validTo}
          onValue={(v) => form.set('validTo', v)}
        />
        <TextField
          label={t('units.successorCode')}
          hint={t('units.successorHint')}
          required
          inputMode="numeric"
          maxLength={5}
          field={form.field('successorCode', t('units.successorCode'))}
          value={form.values.successorCode}
          onValue={(v) => form.set('successorCode', v)}
        />
        <TextField
          label={t('units.legalBasis')}
          hint={t('units.legalBasisHint')}
          required
          maxLength={500}
          field={form.field('legalBasis', t('units.legalBasis'))}
          value={form.values.legalBasis}
          onValue={(v) => form.set('legalBasis', v)}
        />
        <Button type="submit" variant="danger" busy={form.submitting}>
          {t('units.closeSubmit')}
        </Button>
      </FormView>
    </Section>
  );
}

const levelOptions = (t: (k: string) => string) => unitLevels.map((l) => ({ value: l, label: levelLabel(t as never, l) }));
const typeOptions = (t: (k: string) => string, level: UnitLevel | '') =>
  (level ? typesByLevel[level] : []).map((ty) => ({ value: ty, label: typeLabel(t as never, ty) }));

export function UnitNew() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const form = useForm({
    initial: {
      code: '',
      level: 'commune' as UnitLevel | '',
      name: '',
      type: '',
      provinceCode: '',
      districtCode: '',
      validFrom: '',
      legalBasis: '',
      note: '',
    },
    validate: (v) => {
      const e = check(v, {
        level: [rules.required()],
        code: [rules.required()],
        name: [rules.required(), rules.maxLength(200)],
        type: [rules.required()],
        validFrom: [rules.date()],
        legalBasis: [rules.maxLength(500)],
        note: [rules.maxLength(500)],
      });
      if (v.level) {
        const n = codeLength[v.level];
        if (!e.code && !new RegExp(`^[0-9]{${n}}$`).test(v.code.trim())) e.code = t('units.errors.codeLength', { count: n });
        if (v.level !== 'province' && !/^[0-9]{2}$/.test(v.provinceCode.trim())) e.provinceCode = t('units.errors.provinceRequired');
        if (v.level === 'commune' && v.districtCode.trim() && !/^[0-9]{3}$/.test(v.districtCode.trim()))
          e.districtCode = t('units.errors.districtCode');
        if (!e.type && v.type && !typesByLevel[v.level].includes(v.type as never)) e.type = t('units.errors.typeForLevel');
      }
      return e;
    },
    onSubmit: async (v) => {
      const body = {
        code: v.code.trim(),
        level: v.level,
        name: v.name.trim(),
        type: v.type,
        provinceCode: v.level === 'province' ? null : v.provinceCode.trim(),
        districtCode: v.level === 'commune' && v.districtCode.trim() ? v.districtCode.trim() : null,
        validFrom: v.validFrom || null,
        legalBasis: v.legalBasis.trim() || null,
        note: v.note.trim() || null,
      };
      const created = await api.post<{ code: string }>('/api/v1/units', body);
      await qc.invalidateQueries({ queryKey: ['/api/v1/units'] });
      navigate(`/admin/units/${created?.code ?? body.code}`);
    },
  });
  const v = form.values;
  return (
    <>
      <PageHeader title={t('units.create')} lead={t('units.createLead')} breadcrumbs={crumbs(t)} />
      <FormView form={form}>
        <div className="form-grid">
          <SelectField
            label={t('units.level')}
            required
            field={form.field('level', t('units.level'))}
            value={v.level}
            onValue={(x) => {
              form.set('level', x as UnitLevel);
              form.set('type', '');
            }}
            options={levelOptions(t)}
          />
          <TextField
            label={t('units.code')}
            hint={v.level ? t('units.codeHint', { count: codeLength[v.level] }) : undefined}
            required
            inputMode="numeric"
            maxLength={5}
            field={form.field('code', t('units.code'))}
            value={v.code}
            onValue={(x) => form.set('code', x)}
          />
          <TextField
            className="span-2"
            label={t('units.name')}
            hint={t('units.nameHint')}
            required
            maxLength={200}
            field={form.field('name', t('units.name'))}
            value={v.name}
            onValue={(x) => form.set('name', x)}
          />
          <SelectField
            label={t('units.type')}
            required
            field={form.field('type', t('units.type'))}
            value={v.type}
            onValue={(x) => form.set('type', x)}
            placeholder={t('common.choose')}
            options={typeOptions(t, v.level)}
          />
          {v.level !== 'province' && (
            <TextField
              label={t('units.provinceCode')}
              required
              inputMode="numeric"
              maxLength={2}
              field={form.field('provinceCode', t('units.provinceCode'))}
              value={v.provinceCode}
              onValue={(x) => form.set('provinceCode', x)}
            />
          )}
          {v.level === 'commune' && (
            <TextField
              label={t('units.districtCode')}
              hint={t('units.districtHint')}
              inputMode="numeric"
              maxLength={3}
              field={form.field('districtCode', t('units.districtCode'))}
              value={v.districtCode}
              onValue={(x) => form.set('districtCode', x)}
            />
          )}
          <TextField
            type="date"
            label={t('units.validFrom')}
            field={form.field('validFrom', t('units.validFrom'))}
            value={v.validFrom}
            onValue={(x) => form.set('validFrom', x)}
          />
          <TextField
            className="span-2"
            label={t('units.legalBasis')}
            hint={t('units.legalBasisHint')}
            maxLength={500}
            field={form.field('legalBasis', t('units.legalBasis'))}
            value={v.legalBasis}
            onValue={(x) => form.set('legalBasis', x)}
          />
          <TextField
            className="span-2"
            label={t('units.note')}
            maxLength={500}
            field={form.field('note', t('units.note'))}
            value={v.note}
            onValue={(x) => form.set('note', x)}
          />
        </div>
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {t('common.create')}
          </Button>
          <ButtonLink to="/admin/units" variant="link">
            {t('common.cancel')}
          </ButtonLink>
        </div>
      </FormView>
    </>
  );
}

export function UnitEdit() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const unit = useUnit(code);
  if (unit.isPending) return <Loading />;
  if (unit.isError) return <ErrorState error={unit.error} onRetry={() => void unit.refetch()} />;
  return <UnitEditForm unit={unit.data} key={unit.data.code} t={t} />;
}

function UnitEditForm({ unit, t }: { unit: UnitDetailT; t: (k: string, o?: Record<string, unknown>) => string }) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const initial = {
    name: unit.name,
    type: unit.type as string,
    provinceCode: unit.provinceCode ?? '',
    legalBasis: unit.legalBasis ?? '',
    note: unit.note ?? '',
    effectiveFrom: '',
  };
  const form = useForm({
    initial,
    validate: (v) => {
      const e = check(v, {
        name: [rules.required(), rules.maxLength(200)],
        type: [rules.required()],
        legalBasis: [rules.maxLength(500)],
        note: [rules.maxLength(500)],
        effectiveFrom: [rules.date()],
      });
      if (unit.level !== 'province' && !/^[0-9]{2}$/.test(v.provinceCode.trim())) e.provinceCode = t('units.errors.provinceRequired');
      if (Object.keys(e).length === 0 && Object.keys(patchOf(v)).length === 0) e.name = t('validation.noChange');
      return e;
    },
    onSubmit: async (v) => {
      await api.patch(`/api/v1/units/${encodeURIComponent(unit.code)}`, patchOf(v));
      await qc.invalidateQueries({ queryKey: ['/api/v1/units'] });
      navigate(`/admin/units/${unit.code}`);
    },
  });
  function patchOf(v: typeof initial) {
    const p: Record<string, unknown> = {};
    if (v.name.trim() !== initial.name) p.name = v.name.trim();
    if (v.type !== initial.type) p.type = v.type;
    if (unit.level !== 'province' && v.provinceCode.trim() !== initial.provinceCode) p.provinceCode = v.provinceCode.trim();
    if (v.legalBasis.trim() !== initial.legalBasis) p.legalBasis = v.legalBasis.trim() || null;
    if (v.note.trim() !== initial.note) p.note = v.note.trim() || null;
    if (Object.keys(p).length > 0 && v.effectiveFrom) p.effectiveFrom = v.effectiveFrom;
    return p;
  }
  const v = form.values;
  return (
    <>
      <PageHeader
        title={t('units.editTitle', { name: unit.name })}
        lead={t('units.editLead')}
        breadcrumbs={[...crumbs(t), { to: `/admin/units/${unit.code}`, label: unit.name }]}
      />
      <FormView form={form}>
        <div className="form-grid">
          <TextField
            className="span-2"
            label={t('units.name')}
            required
            maxLength={200}
            field={form.field('name', t('units.name'))}
            value={v.name}
            onValue={(x) => form.set('name', x)}
          />
          <SelectField
            label={t('units.type')}
            required
            field={form.field('type', t('units.type'))}
            value={v.type}
            onValue={(x) => form.set('type', x)}
            options={typeOptions(t, unit.level)}
          />
          {unit.level !== 'province' && (
            <TextField
              label={t('units.provinceCode')}
              required
              inputMode="numeric"
              maxLength={2}
              field={form.field('provinceCode', t('units.provinceCode'))}
              value={v.provinceCode}
              onValue={(x) => form.set('provinceCode', x)}
            />
          )}
          <TextField
            className="span-2"
            label={t('units.legalBasis')}
            maxLength={500}
            field={form.field('legalBasis', t('units.legalBasis'))}
            value={v.legalBasis}
            onValue={(x) => form.set('legalBasis', x)}
          />
          <TextField
            className="span-2"
            label={t('units.note')}
            maxLength={500}
            field={form.field('note', t('units.note'))}
            value={v.note}
            onValue={(x) => form.set('note', x)}
          />
          <TextField
            type="date"
            label={t('units.effectiveFrom')}
            hint={t('units.effectiveFromHint')}
            field={form.field('effectiveFrom', t('units.effectiveFrom'))}
            value={v.effectiveFrom}
            onValue={(x) => form.set('effectiveFrom', x)}
          />
        </div>
        <div className="button-row">
          <Button type="submit" busy={form.submitting}>
            {t('common.save')}
          </Button>
          <ButtonLink to={`/admin/units/${unit.code}`} variant="link">
            {t('common.cancel')}
          </ButtonLink>
        </div>
      </FormView>
    </>
  );
}

export function UnitImport() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('units.importTitle')} lead={t('units.importLead')} breadcrumbs={crumbs(t)} />
      <CsvImport endpoint="/api/v1/units/import" invalidate="/api/v1/units" withValidity columnsHint={t('units.importColumns')} />
    </>
  );
}
