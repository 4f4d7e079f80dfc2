/**
 * The report dialogue, one small state machine per Zalo user:
 *
 *   idle ──"phản ánh"/"pa"/"1"──▶ category ──number──▶ description ──text──▶ photo ──image/"bỏ qua"──▶
 *   location ──shared location/address──▶ confirm ──"đồng ý"──▶ (report created) idle
 *
 * "hủy" cancels at any step. In idle, a dossier code or a report code (PA-…) gets its public status; anything
 * else gets the help menu. The side effects (categories, downloading a photo, creating the report, status
 * look-ups) are the caller's, passed in as `deps`, so this file decides only what to say and where to go.
 */
import { DOSSIER_CODE_RE } from '../dossiers';
import type { Incoming } from './zalo.protocol';

export type Step = 'idle' | 'category' | 'description' | 'photo' | 'location' | 'confirm';

export interface Draft {
  categoryCode?: string;
  categoryName?: string;
  description?: string;
  hasPhoto?: boolean;
  location?: { lon: number; lat: number };
  address?: string;
}

export interface State {
  step: Step;
  draft: Draft;
  /** Raw bytes of the photo waiting for the confirmation (null: none). */
  photo: Buffer | null;
}

export interface Submitted {
  code: string;
  id: string;
  agencyName: string;
}

export interface ConversationDeps {
  categories(): Promise<{ code: string; name: string }[]>;
  /** The image at the URL, or a Vietnamese reason why it is refused. */
  fetchPhoto(url: string): Promise<{ bytes: Buffer } | { refused: string }>;
  /** Creates the report; a Vietnamese reason when the feedback module refuses it (step to return to). */
  submit(draft: Draft, photo: Buffer | null): Promise<{ report: Submitted } | { refused: string; step: Step }>;
  /** Public status of a dossier or report code as a message, or null when there is no such code. */
  dossierStatus(code: string): Promise<string | null>;
  reportStatus(code: string): Promise<string | null>;
  trackingUrl(reportId: string): string;
  provinceName: string;
}

export const IDLE: State = { step: 'idle', draft: {}, photo: null };
export const REPORT_CODE_RE = /^PA-[0-9]{8}-[A-Z0-9]{6}$/i;
const MAX_DESCRIPTION = 2000;

/** Lower case, without Vietnamese diacritics and surrounding punctuation: "Hủy!" → "huy". */
export function normalize(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[.!?,;:"'“”]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const START = new Set(['phan anh', 'pa', '1', 'gui phan anh', 'bao cao']);
const CANCEL = new Set(['huy', 'thoi', 'dung', 'cancel']);
const SKIP = new Set(['bo qua', 'khong', 'khong co', 'ko', 'skip', 'bq']);
const YES = new Set(['dong y', 'gui', 'ok', 'co', '1', 'xac nhan', 'yes']);

export function helpText(provinceName: string): string {
  return [
    `Xin chào! Đây là kênh Zalo của Cổng dịch vụ công tỉnh ${provinceName}. Ông/Bà có thể:`,
    '• Gửi "phản ánh" (hoặc "1") để phản ánh sự việc nơi mình sống: rác thải, đèn đường hỏng, lấn chiếm vỉa hè…',
    '• Gửi mã hồ sơ (ví dụ H66.01-261124-0001) để xem tình trạng hồ sơ thủ tục hành chính.',
    '• Gửi mã phản ánh (PA-…) để xem tình trạng phản ánh.',
    '• Gửi "hủy" để dừng thao tác đang làm.',
  ].join('\n');
}

const askPhoto = 'Vui lòng gửi một ảnh chụp hiện trường, hoặc gửi "bỏ qua" nếu không có ảnh.';
const askLocation =
  'Vui lòng chia sẻ vị trí xảy ra sự việc (trong Zalo: bấm dấu "…" hoặc "+" › Vị trí) hoặc nhập địa chỉ (số nhà, đường, xã/phường).';

function summary(d: Draft): string {
  const desc = (d.description ?? '').length > 300 ? `${(d.description ?? '').slice(0, 300)}…` : (d.description ?? '');
  const where = d.location ? `vị trí đã chia sẻ (${d.location.lat.toFixed(5)}, ${d.location.lon.toFixed(5)})` : (d.address ?? '');
  return [
    'Xin Ông/Bà kiểm tra lại phản ánh:',
    `• Lĩnh vực: ${d.categoryName ?? ''}`,
    `• Nội dung: ${desc}`,
    `• Ảnh: ${d.hasPhoto ? '1 ảnh' : 'không có'}`,
    `• Nơi xảy ra: ${where}`,
    'Gửi "đồng ý" để gửi phản ánh, hoặc "hủy" để hủy.',
  ].join('\n');
}

async function categoryMenu(deps: ConversationDeps): Promise<string> {
  const cats = await deps.categories();
  return ['Ông/Bà muốn phản ánh về lĩnh vực nào? Gửi số thứ tự:', ...cats.map((c, i) => `${i + 1}. ${c.name}`), 'Gửi "hủy" để dừng.'].join(
    '\n',
  );
}

/** One step: the new state and the replies to send (in order). */
export async function converse(state: State, input: Incoming, deps: ConversationDeps): Promise<{ state: State; replies: string[] }> {
  const say = (next: State, ...replies: string[]) => ({ state: next, replies });
  const words = input.kind === 'text' ? normalize(input.text) : '';

  if (input.kind === 'follow') return say(state, helpText(deps.provinceName));
  if (input.kind === 'text' && CANCEL.has(words)) {
    if (state.step === 'idle') return say(IDLE, 'Hiện không có thao tác nào đang làm.', helpText(deps.provinceName));
    return say(IDLE, 'Đã hủy phản ánh đang soạn. Gửi "phản ánh" khi Ông/Bà muốn bắt đầu lại.');
  }

  switch (state.step) {
    case 'idle': {
      if (input.kind === 'text') {
        const raw = input.text.trim();
        if (START.has(words)) return say({ step: 'category', draft: {}, photo: null }, await categoryMenu(deps));
        if (REPORT_CODE_RE.test(raw)) {
          const answer = await deps.reportStatus(raw.toUpperCase());
          return say(IDLE, answer ?? `Không tìm thấy phản ánh công khai có mã ${raw.toUpperCase()}. Vui lòng kiểm tra lại mã.`);
        }
        if (raw.length <= 60 && DOSSIER_CODE_RE.test(raw)) {
          const answer = await deps.dossierStatus(raw);
          return say(IDLE, answer ?? `Không tìm thấy hồ sơ có mã ${raw}. Vui lòng kiểm tra lại mã trên giấy tiếp nhận.`);
        }
      }
      if (input.kind === 'image' || input.kind === 'location') {
        return say(IDLE, 'Để gửi phản ánh kèm ảnh hoặc vị trí, xin gửi "phản ánh" trước rồi làm theo hướng dẫn.');
      }
      return say(IDLE, helpText(deps.provinceName));
    }

    case 'category': {
      const cats = await deps.categories();
      const n = input.kind === 'text' && /^[0-9]{1,3}$/.test(words) ? Number(words) : Number.NaN;
      const cat = Number.isInteger(n) ? cats[n - 1] : undefined;
      if (!cat) return say(state, `Xin gửi một số từ 1 đến ${cats.length} để chọn lĩnh vực, hoặc "hủy" để dừng.`);
      return say(
        { step: 'description', draft: { categoryCode: cat.code, categoryName: cat.name }, photo: null },
        `Lĩnh vực: ${cat.name}.\nVui lòng mô tả ngắn gọn sự việc (tối đa ${MAX_DESCRIPTION} ký tự).`,
      );
    }

    case 'description': {
      const text = input.kind === 'text' ? input.text.trim() : '';
      if (!text) return say(state, 'Vui lòng mô tả sự việc bằng một tin nhắn chữ.');
      if (text.length > MAX_DESCRIPTION) {
        return say(state, `Nội dung dài ${text.length} ký tự, vượt quá ${MAX_DESCRIPTION} ký tự. Vui lòng rút gọn và gửi lại.`);
      }
      return say({ ...state, step: 'photo', draft: { ...state.draft, description: text } }, askPhoto);
    }

    case 'photo': {
      if (input.kind === 'text' && SKIP.has(words)) {
        return say({ ...state, step: 'location', draft: { ...state.draft, hasPhoto: false }, photo: null }, askLocation);
      }
      if (input.kind === 'image') {
        const got = await deps.fetchPhoto(input.url);
        if ('refused' in got) return say(state, `${got.refused} Vui lòng gửi ảnh khác hoặc gửi "bỏ qua".`);
        return say({ step: 'location', draft: { ...state.draft, hasPhoto: true }, photo: got.bytes }, `Đã nhận ảnh.\n${askLocation}`);
      }
      if (input.kind === 'location') {
        // A location sent before a photo: no photo, and the location is taken.
        const next: State = {
          step: 'confirm',
          draft: { ...state.draft, hasPhoto: false, location: { lon: input.lon, lat: input.lat } },
          photo: null,
        };
        return say(next, summary(next.draft));
      }
      return say(state, askPhoto);
    }

    case 'location': {
      if (input.kind === 'location') {
        const draft = { ...state.draft, location: { lon: input.lon, lat: input.lat }, address: undefined };
        return say({ ...state, step: 'confirm', draft }, summary(draft));
      }
      if (input.kind === 'text') {
        const address = input.text.trim();
        if (address.length < 5) return say(state, `Địa chỉ quá ngắn. ${askLocation}`);
        if (address.length > 300) return say(state, 'Địa chỉ quá dài (tối đa 300 ký tự). Vui lòng nhập gọn hơn.');
        const draft = { ...state.draft, address, location: undefined };
        return say({ ...state, step: 'confirm', draft }, summary(draft));
      }
      return say(state, askLocation);
    }

    case 'confirm': {
      if (input.kind === 'text' && YES.has(words)) {
        const out = await deps.submit(state.draft, state.photo);
        if ('refused' in out) {
          const back = out.step === 'location' ? askLocation : out.step === 'photo' ? askPhoto : '';
          return say({ ...state, step: out.step }, [out.refused, back].filter(Boolean).join('\n'));
        }
        return say(
          IDLE,
          [
            'Cảm ơn Ông/Bà đã gửi phản ánh.',
            `Mã phản ánh: ${out.report.code}`,
            `Đơn vị tiếp nhận: ${out.report.agencyName}`,
            `Theo dõi kết quả: ${deps.trackingUrl(out.report.id)}`,
            'Gửi mã phản ánh vào đây bất cứ lúc nào để xem tình trạng xử lý.',
          ].join('\n'),
        );
      }
      if (input.kind === 'location') {
        const draft = { ...state.draft, location: { lon: input.lon, lat: input.lat }, address: undefined };
        return say({ ...state, draft }, summary(draft));
      }
      return say(state, `Xin gửi "đồng ý" để gửi phản ánh, hoặc "hủy" để hủy.\n\n${summary(state.draft)}`);
    }
  }
}
