/**
 * Template rendering, recipient checks and masking. Pure functions.
 *
 * Templates are plain text with {{variable}} placeholders. The plain-text rendering substitutes values
 * as given; the HTML rendering (e-mail) escapes the whole text — template and values — so a value can
 * never inject markup, and turns blank lines into paragraphs and line breaks into <br>.
 */
import { problems } from '../http/problem';

export type ChannelName = 'email' | 'sms' | 'zalo';
export const channelNames: readonly ChannelName[] = ['email', 'sms', 'zalo'];

export type TemplateVars = Record<string, string | number>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The distinct variable names used in `text`, in order of first use. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** Substitutes every placeholder; a variable missing from `vars` is a programming error (422). */
export function renderText(text: string, vars: TemplateVars): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const v = vars[name];
    if (v === undefined || v === null) {
      throw problems.unprocessable(
        'template_variable_missing',
        'Thiếu dữ liệu cho mẫu thông báo',
        `Mẫu thông báo cần giá trị của biến "${name}".`,
      );
    }
    return String(v);
  });
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** A small, self-contained HTML e-mail body for a plain text. */
export function textToHtml(text: string, title: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
  return (
    '<!doctype html>\n<html lang="vi">\n<head><meta charset="utf-8">' +
    `<title>${escapeHtml(title)}</title></head>\n` +
    `<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.5; color: #1a1a1a">\n${paragraphs}\n</body>\n</html>\n`
  );
}

export interface Rendered {
  subject: string | null;
  text: string;
  html: string | null;
}

export function renderTemplate(tpl: { channel: ChannelName; subject: string | null; body: string }, vars: TemplateVars): Rendered {
  // A subject is one header line: no line breaks, whatever a value contains.
  const subject =
    tpl.subject === null
      ? null
      : renderText(tpl.subject, vars)
          .replace(/\s*[\r\n]+\s*/g, ' ')
          .trim();
  const text = renderText(tpl.body, vars);
  return { subject, text, html: tpl.channel === 'email' ? textToHtml(text, subject ?? '') : null };
}

/**
 * Checks and normalises a recipient for its channel: an e-mail address, a Vietnamese mobile number
 * (0xxxxxxxxx; +84 and separators accepted) or a Zalo user id. Throws a 400 on `field`.
 */
export function normaliseRecipient(channel: ChannelName, to: string, field = 'to'): string {
  const v = to.trim();
  const bad = (message: string) => problems.validation([{ field, message }]);
  if (channel === 'email') {
    if (v.length > 254 || !/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(v)) throw bad('Địa chỉ thư điện tử không hợp lệ');
    return v;
  }
  if (channel === 'sms') {
    const digits = v.replace(/[\s.()-]/g, '').replace(/^\+?84/, '0');
    if (!/^0\d{9}$/.test(digits)) throw bad('Số điện thoại không hợp lệ (cần 10 chữ số, bắt đầu bằng 0)');
    return digits;
  }
  if (!/^[A-Za-z0-9_-]{3,64}$/.test(v)) throw bad('Mã người dùng Zalo không hợp lệ');
  return v;
}

/** Hides the middle of a recipient: 0905123456 → 09******56, nguyenvana@example.vn → ng*******@example.vn. */
export function maskRecipient(channel: ChannelName, recipient: string): string {
  if (channel === 'email') {
    const at = recipient.lastIndexOf('@');
    if (at > 0) {
      const local = recipient.slice(0, at);
      const keep = local.length <= 3 ? 1 : 2;
      return `${local.slice(0, keep)}${'*'.repeat(Math.max(3, local.length - keep))}${recipient.slice(at)}`;
    }
  }
  if (recipient.length <= 4) return '*'.repeat(recipient.length);
  return `${recipient.slice(0, 2)}${'*'.repeat(recipient.length - 4)}${recipient.slice(-2)}`;
}
