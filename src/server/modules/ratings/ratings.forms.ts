/**
 * The rating forms and the scoring of TT 01/2018/TT-VPCP (Art. 13–15; spec §2.6). Pure: no I/O.
 *
 * - Every TT 01 indicator is scored 2 / 1 / 0 per dossier. The applicant answers indicators 1, 3, 4 and 7
 *   (the ones TT 01 collects "via paper form, kiosk/e-device or online evaluation"); indicator 2 (time of
 *   each participating agency vs. its own limit) comes from the hand-over log of the dossier.
 * - The 12-criteria form (Thừa Thiên Huế portal, spec §2.6) asks the applicant all 12 criteria. The spec
 *   gives the criteria, not their scale: TinhSo uses the same 2/1/0 scale, criteria 4–12 feed TT 01's
 *   indicators (4→7, 5→1, 6→2, 7→3, 8→4, 9→5, 10→6, 11→8, 12→9) so grades stay on the 18-point scale, and
 *   criteria 1–3 (overall, convenience, punctuality) are reported as general satisfaction, outside the total.
 * - Aggregation: per indicator the average over the dossiers with data, rounded to 1 decimal; the total is
 *   the sum of those averages; indicators without data are excluded.
 * - Bands: agencies (max 18) ≥15 xuất sắc, 12–<15 tốt, 9–<12 khá, 6–<9 trung bình, <6 yếu; staff
 *   (indicators 1, 2, 3, 4, 7; max 10) ≥5 → 100% tasks, 3.5–<5 → 70–<100%, <3.5 → <70%.
 */

export type FormCode = 'tt01' | 'c12';
export const formCodes: readonly FormCode[] = ['tt01', 'c12'];
export type Score = 0 | 1 | 2;
export type Grade = 'xuat_sac' | 'tot' | 'kha' | 'trung_binh' | 'yeu';
export type StaffGrade = 'full' | 'from70' | 'below70';

export const gradeNames: Record<Grade, string> = {
  xuat_sac: 'Xuất sắc',
  tot: 'Tốt',
  kha: 'Khá',
  trung_binh: 'Trung bình',
  yeu: 'Yếu',
};
export const staffGradeNames: Record<StaffGrade, string> = {
  full: 'Hoàn thành 100% nhiệm vụ',
  from70: 'Hoàn thành từ 70% đến dưới 100% nhiệm vụ',
  below70: 'Hoàn thành dưới 70% nhiệm vụ',
};

export interface Criterion {
  key: string;
  /** Position on the form (1-based). */
  number: number;
  label: string;
  /** The TT 01/2018 indicator (1–9) this criterion scores, or null for general satisfaction (12-criteria form 1–3). */
  indicator: number | null;
  /** The choices, best first: score 2, 1, 0. */
  options: { score: Score; label: string }[];
}

export interface RatingForm {
  code: FormCode;
  name: string;
  description: string;
  criteria: Criterion[];
}

const opts = (two: string, one: string, zero: string) => [
  { score: 2 as const, label: two },
  { score: 1 as const, label: one },
  { score: 0 as const, label: zero },
];

// The answers to each indicator, in the applicant's words (TT 01/2018 Art. 13, table in spec §2.6).
const ind = {
  1: opts('Sớm hơn thời hạn quy định', 'Đúng thời hạn quy định', 'Trễ hơn thời hạn quy định'),
  2: opts('Sớm hơn thời hạn của từng cơ quan', 'Đúng thời hạn của từng cơ quan', 'Có cơ quan trễ hạn'),
  3: opts('Không phải liên hệ lần nào', 'Liên hệ 1 lần', 'Liên hệ hơn 1 lần (không do lỗi của tôi)'),
  4: opts(
    'Không phải liên hệ cơ quan nào',
    'Chỉ liên hệ Bộ phận Một cửa (và nơi thẩm định, khảo sát theo quy định)',
    'Phải liên hệ hơn 1 cơ quan',
  ),
  5: opts(
    'Được tiếp nhận, giải quyết và trả kết quả ngay tại Bộ phận Một cửa',
    'Được tiếp nhận và trả kết quả tại Bộ phận Một cửa',
    'Phải đến nơi khác để nộp hồ sơ hoặc nhận kết quả',
  ),
  6: opts(
    'Được niêm yết và đăng điện tử, chính xác, kịp thời',
    'Chỉ được niêm yết hoặc chỉ đăng điện tử',
    'Không chính xác, không đầy đủ hoặc không kịp thời',
  ),
  7: opts(
    'Trả kết quả sớm, không có phản ánh, kiến nghị',
    'Trả kết quả đúng hẹn, không có phản ánh, kiến nghị',
    'Có phản ánh, kiến nghị về thái độ của cán bộ',
  ),
  8: opts(
    'Không có phản ánh, hoặc được trả lời đúng hạn',
    'Được trả lời, có chậm nhưng không kéo dài',
    'Không được trả lời đúng hạn hoặc kéo dài',
  ),
  9: opts(
    'Nộp, theo dõi trực tuyến thuận lợi, không trễ hạn',
    'Thực hiện trực tuyến được một phần, không trễ hạn',
    'Không thực hiện được trực tuyến hoặc bị trễ hạn',
  ),
} as const satisfies Record<number, { score: Score; label: string }[]>;

const general = opts('Hài lòng', 'Bình thường', 'Không hài lòng');

export const forms: Record<FormCode, RatingForm> = {
  tt01: {
    code: 'tt01',
    name: 'Phiếu đánh giá theo Thông tư 01/2018/TT-VPCP',
    description:
      'Ông/Bà đánh giá 4 chỉ số về hồ sơ của mình (thời gian giải quyết, số lần liên hệ, số cơ quan phải liên hệ, thái độ cán bộ); chỉ số thời gian của từng cơ quan được tính từ hệ thống.',
    criteria: [
      { key: 'i1', number: 1, indicator: 1, label: 'Tổng thời gian giải quyết hồ sơ so với thời gian quy định', options: [...ind[1]] },
      {
        key: 'i3',
        number: 2,
        indicator: 3,
        label: 'Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ (kể cả trực tuyến)',
        options: [...ind[3]],
      },
      { key: 'i4', number: 3, indicator: 4, label: 'Số lượng cơ quan, đơn vị phải liên hệ để hoàn thiện hồ sơ', options: [...ind[4]] },
      {
        key: 'i7',
        number: 4,
        indicator: 7,
        label: 'Thái độ của cán bộ, công chức, viên chức khi hướng dẫn, tiếp nhận, giải quyết hồ sơ',
        options: [...ind[7]],
      },
    ],
  },
  c12: {
    code: 'c12',
    name: 'Phiếu đánh giá 12 tiêu chí',
    description: 'Ông/Bà đánh giá 12 tiêu chí về việc tiếp nhận, giải quyết và trả kết quả hồ sơ.',
    criteria: [
      { key: 'c1', number: 1, indicator: null, label: 'Đánh giá tổng thể dịch vụ', options: [...general] },
      { key: 'c2', number: 2, indicator: null, label: 'Mức độ thuận tiện khi sử dụng dịch vụ', options: [...general] },
      {
        key: 'c3',
        number: 3,
        indicator: null,
        label: 'Mức độ đúng hạn trong xử lý, trả kết quả',
        options: opts('Sớm hơn hẹn', 'Đúng hẹn', 'Trễ hẹn'),
      },
      { key: 'c4', number: 4, indicator: 7, label: 'Thái độ của cán bộ, công chức, viên chức', options: [...ind[7]] },
      { key: 'c5', number: 5, indicator: 1, label: 'Thời gian giải quyết so với thời gian cho phép', options: [...ind[1]] },
      { key: 'c6', number: 6, indicator: 2, label: 'Thời gian thực hiện giải quyết so với quy định', options: [...ind[2]] },
      { key: 'c7', number: 7, indicator: 3, label: 'Số lần phải liên hệ nơi tiếp nhận để hoàn thiện hồ sơ', options: [...ind[3]] },
      { key: 'c8', number: 8, indicator: 4, label: 'Số lượng cơ quan phải liên hệ', options: [...ind[4]] },
      { key: 'c9', number: 9, indicator: 5, label: 'Tổ chức tiếp nhận, giải quyết, trả kết quả tại Bộ phận Một cửa', options: [...ind[5]] },
      { key: 'c10', number: 10, indicator: 6, label: 'Mức độ công khai thủ tục hành chính', options: [...ind[6]] },
      { key: 'c11', number: 11, indicator: 8, label: 'Tiếp thu, giải trình ý kiến phản ánh, kiến nghị', options: [...ind[8]] },
      { key: 'c12', number: 12, indicator: 9, label: 'Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến', options: [...ind[9]] },
    ],
  },
};

/** Indicators 1–9 of one rating: null = no data from this rating. */
export type IndicatorScores = (Score | null)[];
/** Staff are scored on these indicators (max 10). */
export const STAFF_INDICATORS = [1, 2, 3, 4, 7] as const;

/** Indicator 2 from the hand-over verdicts: all early → 2; any late → 0; otherwise 1; none with a due date → no data. */
export function indicator2(handovers: readonly ('early' | 'on_time' | 'late')[]): Score | null {
  if (!handovers.length) return null;
  if (handovers.includes('late')) return 0;
  return handovers.every((h) => h === 'early') ? 2 : 1;
}

export interface Scored {
  /** Index 0 = indicator 1. */
  indicators: IndicatorScores;
  /** General satisfaction (12-criteria form, criteria 1–3); nulls on the TT 01 form. */
  general: (Score | null)[];
  total: number;
  maxTotal: number;
  grade: Grade;
}

/** Missing or out-of-scale answers, as field errors (every criterion of the form must be answered). */
export function answerErrors(form: RatingForm, answers: Record<string, unknown>): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  for (const c of form.criteria) {
    const v = answers[c.key];
    if (v !== 0 && v !== 1 && v !== 2)
      errors.push({ field: `answers.${c.key}`, message: `Vui lòng chọn mức đánh giá cho tiêu chí ${c.number}` });
  }
  for (const k of Object.keys(answers)) {
    if (!form.criteria.some((c) => c.key === k)) errors.push({ field: `answers.${k}`, message: 'Tiêu chí không có trong phiếu đánh giá' });
  }
  return errors;
}

/** Scores one rating: the answers (already checked) plus indicator 2 from the system on the TT 01 form. */
export function scoreRating(form: RatingForm, answers: Record<string, Score>, systemIndicator2: Score | null): Scored {
  const indicators: IndicatorScores = Array.from({ length: 9 }, () => null);
  const generalScores: (Score | null)[] = [null, null, null];
  for (const c of form.criteria) {
    const v = answers[c.key] as Score;
    if (c.indicator) indicators[c.indicator - 1] = v;
    else generalScores[c.number - 1] = v;
  }
  if (form.code === 'tt01') indicators[1] = systemIndicator2;
  const present = indicators.filter((s): s is Score => s !== null);
  const total = present.reduce<number>((a, b) => a + b, 0);
  return { indicators, general: generalScores, total, maxTotal: present.length * 2, grade: agencyGrade(total) };
}

/** Average rounded to 1 decimal (TT 01 Art. 15), or null without data. */
export function round1(n: number): number {
  return Math.round(n * 10 + 1e-9) / 10;
}

/** TT 01 agency bands on the total (max 18). */
export function agencyGrade(total: number): Grade {
  if (total >= 15) return 'xuat_sac';
  if (total >= 12) return 'tot';
  if (total >= 9) return 'kha';
  if (total >= 6) return 'trung_binh';
  return 'yeu';
}

/** TT 01 staff bands on the total of indicators 1, 2, 3, 4, 7 (max 10). */
export function staffGrade(total: number): StaffGrade {
  if (total >= 5) return 'full';
  if (total >= 3.5) return 'from70';
  return 'below70';
}

/**
 * Quarterly figures from per-indicator averages (null = no data): each average rounded to 1 decimal, the
 * total their sum over the indicators with data (only `only` when given, e.g. the staff indicators).
 */
export function totalOf(
  averages: readonly (number | null)[],
  only?: readonly number[],
): { indicators: (number | null)[]; total: number; maxTotal: number } {
  const indicators = averages.map((a, i) => (a === null || (only && !only.includes(i + 1)) ? null : round1(a)));
  const present = indicators.filter((a): a is number => a !== null);
  return { indicators, total: round1(present.reduce((a, b) => a + b, 0)), maxTotal: present.length * 2 };
}

/** "2026-Q4" → { year: 2026, quarter: 4 }. */
export function parsePeriod(p: string): { year: number; quarter: number } | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(p);
  return m ? { year: Number(m[1]), quarter: Number(m[2]) } : null;
}

/** The quarter of an instant in Vietnam time (UTC+7, no daylight saving). */
export function quarterOf(at: Date): { year: number; quarter: number } {
  const vn = new Date(at.getTime() + 7 * 3600 * 1000);
  return { year: vn.getUTCFullYear(), quarter: Math.floor(vn.getUTCMonth() / 3) + 1 };
}
