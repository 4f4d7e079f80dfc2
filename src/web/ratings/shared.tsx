/** Pieces the staff page and the public ranking share: the quarter picker and the score cells. */
import { useTranslation } from 'react-i18next';
import { SelectField, Tag } from '../ui';
import { recentPeriods } from './api';

export function PeriodSelect({ value, onValue, id }: { value: string; onValue: (v: string) => void; id: string }) {
  const { t } = useTranslation();
  const options = recentPeriods(new Date()).map((p) => {
    const [year, quarter] = p.split('-Q');
    return { value: p, label: t('ratings.period', { year, quarter }) };
  });
  return (
    <SelectField label={t('ratings.fields.period')} field={{ id, name: 'period' }} value={value} onValue={onValue} options={options} />
  );
}

const tones: Record<string, 'success' | 'info' | 'neutral' | 'warning' | 'danger'> = {
  xuat_sac: 'success',
  tot: 'info',
  kha: 'neutral',
  trung_binh: 'warning',
  yeu: 'danger',
  full: 'success',
  from70: 'warning',
  below70: 'danger',
};

export function GradeTag({ grade, name }: { grade: string; name: string }) {
  return <Tag tone={tones[grade] ?? 'neutral'}>{name}</Tag>;
}

/** "1,7" (Vietnamese decimal comma) or "—" without data. */
export function useScore() {
  const { i18n } = useTranslation();
  return (n: number | null | undefined) =>
    n === null || n === undefined ? '—' : n.toLocaleString(i18n.language === 'en' ? 'en' : 'vi', { maximumFractionDigits: 1 });
}
