/**
 * Request and response schemas of the calendar routes (source of the OpenAPI document).
 */
import { type Static, Type } from '@sinclair/typebox';

const IsoDate = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `${description} (YYYY-MM-DD, giờ Việt Nam)`, examples: ['2026-02-16'] });

const Nullable = <T extends ReturnType<typeof Type.String>>(s: T, description: string) => Type.Union([s, Type.Null()], { description });

export const DecisionKindSchema = Type.Union([Type.Literal('nghi'), Type.Literal('lam_bu')], {
  description:
    'nghi: ngày nghỉ theo quyết định hằng năm (kể cả các ngày Tết được quyết định, ngày hoán đổi); lam_bu: ngày làm việc bù (thường là thứ Bảy)',
});

export const CalendarDayView = Type.Object(
  {
    date: IsoDate('Ngày'),
    kind: DecisionKindSchema,
    name: Type.String({ description: 'Tên/lý do, ví dụ "Tết Nguyên đán Bính Ngọ (mùng 1 tháng Giêng)"' }),
    legalBasis: Nullable(Type.String(), 'Căn cứ, ví dụ "Thông báo 9441/TB-BNV ngày 16/10/2025"'),
    createdAt: Type.String({ format: 'date-time', description: 'Thời điểm nhập' }),
  },
  { description: 'Một ngày trong quyết định nghỉ lễ, hoán đổi ngày làm việc hằng năm' },
);
export type CalendarDayView = Static<typeof CalendarDayView>;

export const CalendarDayCreate = Type.Object(
  {
    date: IsoDate('Ngày'),
    kind: DecisionKindSchema,
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Tên/lý do hiển thị cho người dân và cán bộ' }),
    legalBasis: Type.Optional(Type.String({ maxLength: 500, description: 'Văn bản quyết định (số, ký hiệu, ngày ban hành)' })),
  },
  { additionalProperties: false },
);
export type CalendarDayCreate = Static<typeof CalendarDayCreate>;

export const DateParams = Type.Object({ date: IsoDate('Ngày cần xóa khỏi quyết định') });

export const DaysQuery = Type.Object({
  year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100, description: 'Năm dương lịch; mặc định năm hiện tại' })),
});

export const DayInfoView = Type.Object(
  {
    date: IsoDate('Ngày'),
    weekday: Type.Integer({ minimum: 0, maximum: 6, description: '0 = Chủ nhật, 1 = thứ Hai, …, 6 = thứ Bảy' }),
    working: Type.Boolean({ description: 'Có phải ngày làm việc không' }),
    kind: Type.Union(
      [
        Type.Literal('working'),
        Type.Literal('make_up'),
        Type.Literal('weekend'),
        Type.Literal('holiday'),
        Type.Literal('compensatory'),
        Type.Literal('day_off'),
      ],
      {
        description:
          'working: ngày làm việc; make_up: ngày làm bù; weekend: nghỉ hằng tuần; holiday: nghỉ lễ, Tết theo luật; ' +
          'compensatory: nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần; day_off: nghỉ theo quyết định hằng năm',
      },
    ),
    reason: Nullable(Type.String(), 'Lý do nghỉ (hoặc lý do làm bù); null với ngày làm việc bình thường'),
    legalBasis: Nullable(Type.String(), 'Căn cứ pháp lý'),
  },
  { description: 'Một ngày của lịch làm việc' },
);
export type DayInfoView = Static<typeof DayInfoView>;

export const DaysList = Type.Object({
  year: Type.Integer({ description: 'Năm' }),
  items: Type.Array(CalendarDayView, { description: 'Các ngày đã nhập theo quyết định của năm' }),
  holidays: Type.Array(DayInfoView, {
    description: 'Toàn bộ ngày nghỉ lễ, nghỉ bù, nghỉ theo quyết định và ngày làm bù của năm (đã tính cả quy tắc của Bộ luật Lao động)',
  }),
});

export const WorkingDaysQuery = Type.Object({
  from: IsoDate('Từ ngày'),
  to: IsoDate('Đến ngày (tối đa 366 ngày sau "from")'),
});

export const WorkingDaysList = Type.Object({
  workingDays: Type.Integer({ description: 'Số ngày làm việc trong khoảng' }),
  items: Type.Array(DayInfoView),
});

export const DueDateBody = Type.Object(
  {
    start: Type.Optional(
      Type.String({ format: 'date-time', description: 'Thời điểm bắt đầu tính (ISO 8601 có múi giờ); mặc định là bây giờ' }),
    ),
    hours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 20000, description: 'Thời hạn theo giờ làm việc' })),
    days: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 2500, description: 'Thời hạn theo ngày làm việc (1 ngày = 8 giờ làm việc)' }),
    ),
  },
  { additionalProperties: false },
);
export type DueDateBody = Static<typeof DueDateBody>;

export const DueDateView = Type.Object({
  start: Type.String({ format: 'date-time', description: 'Thời điểm bắt đầu (giờ Việt Nam)' }),
  countFrom: Type.String({ format: 'date-time', description: 'Thời điểm bắt đầu tính giờ làm việc (đã bỏ qua giờ nghỉ, ngày nghỉ)' }),
  hours: Type.Number({ description: 'Thời hạn quy ra giờ làm việc' }),
  dueDate: Type.String({ format: 'date-time', description: 'Ngày hẹn trả dự kiến (giờ Việt Nam, +07:00)' }),
  dueDateText: Type.String({ description: 'Ngày hẹn trả viết như trên giấy tiếp nhận, ví dụ "16 giờ 00 phút, ngày 23/02/2026"' }),
});
export type DueDateView = Static<typeof DueDateView>;

export const DecisionParams = Type.Object({ date: IsoDate('Ngày đã nhập trong quyết định') });

export const CalendarDayUpdate = Type.Object(
  {
    kind: DecisionKindSchema,
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Tên/lý do hiển thị cho người dân và cán bộ' }),
    legalBasis: Type.Optional(
      Type.Union([Type.String({ maxLength: 500 }), Type.Null()], {
        description: 'Văn bản quyết định (số, ký hiệu, ngày ban hành); null hoặc bỏ trống để xóa',
      }),
    ),
  },
  { additionalProperties: false, description: 'Nội dung mới của một ngày đã nhập (ngày là khóa: muốn đổi ngày thì xóa rồi nhập lại)' },
);
export type CalendarDayUpdate = Static<typeof CalendarDayUpdate>;

const Clock = (description: string, example: string) =>
  Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: `${description} (HH:MM, giờ Việt Nam)`, examples: [example] });

export const OfficeWindowSchema = Type.Object(
  {
    start: Clock('Giờ bắt đầu', '07:00'),
    end: Clock('Giờ kết thúc (không tính phút này)', '11:30'),
  },
  { additionalProperties: false, description: 'Một khung giờ làm việc trong ngày, ví dụ buổi sáng 07:00–11:30' },
);

const Hours = (description: string) => Type.Number({ exclusiveMinimum: 0, maximum: 24, description });

export const CalendarSettingsUpdate = Type.Object(
  {
    officeHours: Type.Array(OfficeWindowSchema, {
      minItems: 1,
      maxItems: 4,
      description: 'Các khung giờ làm việc của mỗi ngày làm việc, theo thứ tự trong ngày, không chồng lên nhau (sáng, chiều)',
    }),
    hoursPerDay: Hours('Số giờ làm việc của một ngày làm việc (thời hạn tính theo ngày được quy ra giờ); tối đa 2 chữ số thập phân'),
    forwardingCutoff: Clock(
      'Giờ chốt chuyển hồ sơ giấy (NĐ 61/2018 Điều 18): nhận từ giờ này trở đi thì chuyển trong ngày làm việc kế tiếp',
      '15:00',
    ),
    forwardingNextDayHours: Hours(
      'Số giờ làm việc của ngày kế tiếp được dùng để chuyển hồ sơ nhận sau giờ chốt (8 = đến hết ngày; 1 = trước 08:00)',
    ),
  },
  { additionalProperties: false },
);
export type CalendarSettingsUpdate = Static<typeof CalendarSettingsUpdate>;

export const CalendarSettingsView = Type.Object(
  {
    ...CalendarSettingsUpdate.properties,
    officeHoursTotal: Type.Number({ description: 'Tổng số giờ của các khung giờ làm việc trong một ngày' }),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Lần thay đổi gần nhất' }),
  },
  { description: 'Giờ làm việc của tỉnh, dùng để tính mọi thời hạn' },
);
export type CalendarSettingsView = Static<typeof CalendarSettingsView>;
