/**
 * `npm run admin:create -- --username <u> --name "<Họ tên>" [--email <e>]`
 * Creates the first administrator (production has no demo accounts). The password comes from
 * ADMIN_PASSWORD or is asked on the terminal without echo; it must meet the password policy.
 */
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { createAccount } from './modules/identity';
import { grantProvinceRole } from './modules/org';
import { recordAudit } from './platform/audit/audit';
import { systemContext } from './platform/auth/actor';
import type { Database } from './platform/db/database';
import { Problem } from './platform/http/problem';

async function askHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    // Piped input: read one line.
    const rl = readline.createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  process.stdout.write(question);
  process.stdin.setRawMode(true);
  process.stdin.resume();
  let value = '';
  return new Promise((resolve) => {
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          process.stdin.setRawMode(false);
          process.stdin.pause();
          process.stdin.off('data', onData);
          process.stdout.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    process.stdin.on('data', onData);
  });
}

export async function createAdmin(db: Database, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { username: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' } },
  });
  if (!values.username || !values.name) {
    throw new Error('Cần --username và --name. Ví dụ: npm run admin:create -- --username quantri --name "Nguyễn Văn A"');
  }
  const password = process.env.ADMIN_PASSWORD ?? (await askHidden('Mật khẩu quản trị: '));
  const ctx = systemContext('admin:create');
  try {
    const account = await db.orm.transaction(async (tx) => {
      const a = await createAccount(tx, {
        username: values.username!,
        displayName: values.name!,
        kind: 'staff',
        password,
        email: values.email,
      });
      await grantProvinceRole(tx, a.id, 'admin');
      await recordAudit(tx, ctx, { action: 'account.admin_created', targetType: 'account', targetId: a.id });
      return a;
    });
    console.log(`Đã tạo quản trị viên "${values.username}" (${account.id}) với vai trò admin toàn tỉnh.`);
  } catch (e) {
    if (e instanceof Problem) {
      const reasons = e.errors?.map((x) => x.message).join('; ');
      throw new Error(`${e.title}${e.detail ? `: ${e.detail}` : ''}${reasons ? ` (${reasons})` : ''}`);
    }
    throw e;
  }
}
