/**
 * HTTP routes of the calendar block: the yearly decisions (public to read, `calendar.manage` to change),
 * the office-hours settings (staff to read, `calendar.manage` to change), the working-day lookup and the
 * due-date calculator the portal uses for "ngày hẹn trả dự kiến".
 */
import { Type } from '@sinclair/typebox';
import type { Platform } from '..';
import type { App } from '../http/types';
import {
  CalendarDayCreate,
  CalendarDayUpdate,
  CalendarDayView,
  CalendarSettingsUpdate,
  CalendarSettingsView,
  DateParams,
  DaysList,
  DaysQuery,
  DecisionParams,
  DueDateBody,
  DueDateView,
  WorkingDaysList,
  WorkingDaysQuery,
} from './calendar.schemas';

const TAGS = ['calendar'];

export function registerCalendarRoutes(app: App, platform: Pick<Platform, 'calendar'>): void {
  const calendar = platform.calendar;

  app.get(
    '/api/v1/calendar/days',
    {
      schema: {
        tags: TAGS,
        summary: 'Lịch nghỉ lễ, nghỉ bù, hoán đổi ngày làm việc của một năm',
        description:
          '`items`: các ngày do quản trị nhập theo quyết định hằng năm (nghỉ, làm bù). `holidays`: mọi ngày đặc biệt của năm ' +
          'sau khi áp dụng Bộ luật Lao động 2019 (Điều 111, 112) và các quyết định. Công khai, không cần đăng nhập.',
        querystring: DaysQuery,
        response: { 200: DaysList },
      },
    },
    async (req) => calendar.listDays(req.ctx, req.query.year),
  );

  app.post(
    '/api/v1/calendar/days',
    {
      config: { idempotent: true },
      schema: {
        tags: TAGS,
        summary: 'Nhập một ngày của quyết định nghỉ lễ/hoán đổi hằng năm',
        description:
          '`nghi`: ngày làm việc được nghỉ (các ngày Tết được quyết định, ngày hoán đổi, nghỉ bù); `lam_bu`: ngày nghỉ ' +
          '(thường là thứ Bảy) chuyển thành ngày làm việc. Các ngày nghỉ Tết/Quốc khánh đã nhập thay cho quy tắc mặc định ' +
          'của năm đó. Cần quyền `calendar.manage`; được ghi nhật ký. Trùng ngày → 409.',
        body: CalendarDayCreate,
        response: { 201: CalendarDayView },
        security: [{ session: [] }],
      },
    },
    async (req, reply) => reply.code(201).send(await calendar.addDay(req.ctx, req.body)),
  );

  app.put(
    '/api/v1/calendar/days/:date',
    {
      schema: {
        tags: TAGS,
        summary: 'Sửa một ngày đã nhập của quyết định nghỉ lễ/hoán đổi',
        description:
          'Thay loại (`nghi`/`lam_bu`), tên/lý do và căn cứ của ngày đã nhập; ngày là khóa (muốn đổi sang ngày khác thì ' +
          'xóa rồi nhập lại). Cùng quy tắc như khi nhập. Cần quyền `calendar.manage`; được ghi nhật ký. Ngày chưa được nhập → 404.',
        params: DecisionParams,
        body: CalendarDayUpdate,
        response: { 200: CalendarDayView },
        security: [{ session: [] }],
      },
    },
    async (req) => calendar.updateDay(req.ctx, req.params.date, req.body),
  );

  app.delete(
    '/api/v1/calendar/days/:date',
    {
      schema: {
        tags: TAGS,
        summary: 'Xóa một ngày khỏi quyết định nghỉ lễ/hoán đổi',
        description: 'Cần quyền `calendar.manage`; được ghi nhật ký. Ngày chưa được nhập → 404.',
        params: DateParams,
        response: { 204: Type.Null({ description: 'Đã xóa' }) },
        security: [{ session: [] }],
      },
    },
    async (req, reply) => {
      await calendar.deleteDay(req.ctx, req.params.date);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/calendar/settings',
    {
      schema: {
        tags: TAGS,
        summary: 'Giờ làm việc của tỉnh (khung giờ, giờ chốt chuyển hồ sơ)',
        description:
          'Các khung giờ làm việc, số giờ của một ngày làm việc và quy tắc 15:00 dùng để tính mọi thời hạn. Cán bộ đã đăng nhập.',
        response: { 200: CalendarSettingsView },
        security: [{ session: [] }],
      },
    },
    async (req) => calendar.getSettings(req.ctx),
  );

  app.put(
    '/api/v1/calendar/settings',
    {
      schema: {
        tags: TAGS,
        summary: 'Thay đổi giờ làm việc của tỉnh',
        description:
          'Gửi toàn bộ cài đặt. Các khung giờ theo thứ tự trong ngày, không chồng lên nhau; giờ chốt nằm trong giờ làm việc; ' +
          'số giờ của một ngày và số giờ chuyển hồ sơ không vượt tổng thời gian các khung. Sai định dạng → 400, sai quy tắc → ' +
          '422 (kèm lỗi từng trường, không thay đổi gì). Áp dụng ngay cho các lần tính thời hạn tiếp theo. Cần quyền ' +
          '`calendar.manage`; được ghi nhật ký.',
        body: CalendarSettingsUpdate,
        response: { 200: CalendarSettingsView },
        security: [{ session: [] }],
      },
    },
    async (req) => calendar.updateSettings(req.ctx, req.body),
  );

  app.get(
    '/api/v1/calendar/working-days',
    {
      schema: {
        tags: TAGS,
        summary: 'Ngày làm việc và ngày nghỉ (kèm lý do) trong một khoảng ngày',
        description: 'Tối đa 366 ngày mỗi lần. Công khai, không cần đăng nhập.',
        querystring: WorkingDaysQuery,
        response: { 200: WorkingDaysList },
      },
    },
    async (req) => calendar.workingDays(req.ctx, req.query.from, req.query.to),
  );

  app.post(
    '/api/v1/calendar/due-date',
    {
      // A pure calculation: no state changes, so no CSRF token is needed; limited to keep it cheap.
      config: { csrf: false, rateLimit: { max: 300, timeWindow: '1 minute' } },
      schema: {
        tags: TAGS,
        summary: 'Tính ngày hẹn trả dự kiến',
        description:
          'Cộng một thời hạn theo giờ làm việc (`hours`) hoặc ngày làm việc (`days`, 1 ngày = 8 giờ) vào thời điểm `start` ' +
          'theo lịch làm việc của tỉnh: bỏ qua giờ nghỉ trưa, ngoài giờ hành chính, cuối tuần, ngày lễ, nghỉ bù; tính cả ' +
          'ngày làm bù. Công khai, không cần đăng nhập.',
        body: DueDateBody,
        response: { 200: DueDateView },
      },
    },
    async (req) => calendar.dueDate(req.ctx, req.body),
  );
}
