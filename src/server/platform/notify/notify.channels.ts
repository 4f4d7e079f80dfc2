/**
 * Delivery channels behind one interface. Which implementation serves a channel is chosen by config:
 *
 * - email: SMTP through nodemailer when SMTP_URL is set; otherwise the local channel.
 * - sms, zalo: the local channel (SMS_PROVIDER=local, ZALO_PROVIDER=local). A real gateway (an SMS
 *   brandname provider, the Zalo OA / ZNS API) is one more class implementing `Channel`, picked here.
 *
 * The local channel sends nothing: the notifications table already holds everything that would have been
 * sent (recipient, subject, body), so the message is "delivered" to that outbox and marked sent.
 */
import { randomUUID } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Config } from '../../config';
import type { ChannelName } from './notify.render';

export interface OutgoingMessage {
  /** The notification's id: stable across retries, used as the e-mail Message-ID. */
  id: string;
  channel: ChannelName;
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
}

export interface Channel {
  readonly name: ChannelName;
  /** Provider name shown in logs and docs: 'smtp', 'local', … */
  readonly provider: string;
  /** Hands the message to the provider; throws when the provider refuses or cannot be reached. */
  send(message: OutgoingMessage): Promise<{ providerId: string }>;
  close?(): void;
}

export type Channels = Record<ChannelName, Channel>;

export class LocalChannel implements Channel {
  readonly provider = 'local';
  constructor(readonly name: ChannelName) {}

  async send(message: OutgoingMessage): Promise<{ providerId: string }> {
    void message;
    return { providerId: `local:${randomUUID()}` };
  }
}

export class SmtpChannel implements Channel {
  readonly name = 'email' as const;
  readonly provider = 'smtp';
  /** nodemailer is loaded on first use: a deployment without SMTP never pays its memory. */
  private transport?: Promise<Transporter>;

  constructor(
    private readonly smtpUrl: string,
    private readonly from: string,
    private readonly messageIdDomain = 'tinhso.local',
  ) {}

  private transporter(): Promise<Transporter> {
    this.transport ??= import('nodemailer').then((m) =>
      m.default.createTransport({
        url: this.smtpUrl,
        // Fail in bounded time: a hanging server must not hold a job (or a PGlite connection) for minutes.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
    );
    return this.transport;
  }

  async send(message: OutgoingMessage): Promise<{ providerId: string }> {
    const info = await (await this.transporter()).sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject ?? '',
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
      // The same id on every retry lets mail servers and clients recognise a duplicate.
      messageId: `<${message.id}@${this.messageIdDomain}>`,
    });
    return { providerId: String(info.messageId ?? message.id) };
  }

  close(): void {
    void this.transport?.then((t) => t.close());
  }
}

export function createChannels(config: Pick<Config, 'mail' | 'notify' | 'publicUrl'>): Channels {
  for (const [setting, value] of [
    ['SMS_PROVIDER', config.notify.smsProvider],
    ['ZALO_PROVIDER', config.notify.zaloProvider],
  ] as const) {
    if (value !== 'local') throw new Error(`${setting}="${value}" chưa được hỗ trợ (hiện chỉ có "local")`);
  }
  const host = safeHost(config.publicUrl);
  return {
    email: config.mail.smtpUrl ? new SmtpChannel(config.mail.smtpUrl, config.mail.from, host) : new LocalChannel('email'),
    sms: new LocalChannel('sms'),
    zalo: new LocalChannel('zalo'),
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname || 'tinhso.local';
  } catch {
    return 'tinhso.local';
  }
}
