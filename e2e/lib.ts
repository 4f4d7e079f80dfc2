/**
 * The browser-test harness shared by the suites: a tiny test runner with a tally, the server under test (real
 * server, fresh embedded database, demo seed), and page helpers (sign-in, settle, axe-core, 360 px overflow,
 * screenshots). Suites: e2e/run.ts (the platform), e2e/feedback.ts (field reports and ratings).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { THO_CUNG, thoCungForm as thoCungFormFor } from '../src/server/modules/dossiers/testing';

export const root = path.resolve(import.meta.dirname, '..');
const shotsDir = path.join(root, 'e2e', 'screenshots');
const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
export const PASSWORD = 'demo';

// ---- tiny test harness ---------------------------------------------------------------------------

/** The run's tally: tests increment it; the runner prints it and sets the exit code. */
export const tally = { passed: 0, failed: 0, failures: [] as string[] };

export async function test(name: string, fn: () => Promise<void>): Promise<void> {
  const t0 = Date.now();
  try {
    await fn();
    tally.passed++;
    console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
  } catch (err) {
    tally.failed++;
    const msg = err instanceof Error ? err.message : String(err);
    tally.failures.push(`${name}: ${msg}`);
    console.log(`  ✗ ${name}\n      ${msg.split('\n').join('\n      ')}`);
  }
}

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

// ---- server --------------------------------------------------------------------------------------

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function buildWeb(): Promise<void> {
  if (process.env.E2E_SKIP_BUILD === '1' && fs.existsSync(path.join(root, 'dist/web/index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}

export interface Server {
  url: string;
  stop(): Promise<void>;
  log(): string;
}

export async function startServer(): Promise<Server> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinhso-e2e-'));
  const logFile = path.join(dataDir, 'server.log');
  const out = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts', 'start'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TINHSO_DATA_DIR: dataDir,
      NODE_ENV: 'development',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // Every test signs in again from 127.0.0.1: the per-address login limit is for real clients.
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    },
    stdio: ['ignore', out, out],
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await new Promise<void>((r) => (exited ? r() : child.once('exit', () => r())));
      clearTimeout(t);
    }
    fs.closeSync(out);
    if (tally.failed === 0) fs.rmSync(dataDir, { recursive: true, force: true });
    else console.log(`Server data and log kept in ${dataDir}`);
  };
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server exited during start-up:\n${log().slice(-4000)}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return { url, stop, log };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`server not ready after 180 s:\n${log().slice(-4000)}`);
}

// ---- page helpers --------------------------------------------------------------------------------

const pageErrors = new WeakMap<Page, string[]>();

export async function newPage(browser: Browser, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    // The app's CSP (script-src 'self') would refuse the injected axe-core script.
    bypassCSP: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(15_000);
  return { context, page };
}

export function assertNoPageErrors(page: Page): void {
  const errors = pageErrors.get(page) ?? [];
  assert(errors.length === 0, `JavaScript errors on the page:\n${errors.join('\n')}`);
}

export async function h1(page: Page): Promise<string> {
  const el = page.locator('main h1').first();
  await el.waitFor({ state: 'visible' });
  return (await el.innerText()).trim();
}

/** Waits until the app has settled: no loading indicator in main. */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page
    .locator('main .state-loading')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 })
    .catch(() => {});
}

/**
 * Opens the sign-in form. A bare /login sends the browser through the provincial SSO provider
 * (/auth/sso/start → /oidc/auth → /login?interaction=…), so wait until the form of that page is there.
 */
export async function openLogin(page: Page, url: string): Promise<void> {
  // A sign-in page that is already on its way to the provider may abort this navigation: harmless.
  await page.goto(url).catch((e: Error) => {
    if (!/ERR_ABORTED|interrupted by another navigation/.test(e.message)) throw e;
  });
  await page.getByLabel('Tên đăng nhập').waitFor({ timeout: 20_000 });
}

export async function login(page: Page, base: string, username: string, password = PASSWORD): Promise<void> {
  await openLogin(page, `${base}/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** The three form pages of "đăng ký khai sinh" (applicant, residence and child, the child's birth), each ended with "Tiếp tục". */
export async function fillBirthRegistration(
  page: Page,
  v: { birthDate: string; idNumber: string; child: string; childBirthDate: string; childSex: 'nam' | 'nu' },
): Promise<void> {
  const next = () => page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page
    .getByLabel(/Ngày, tháng, năm sinh/)
    .first()
    .fill(v.birthDate);
  await page.getByLabel(/Số định danh cá nhân/).fill(v.idNumber);
  await page.getByLabel(/Số điện thoại/).fill('0905123456');
  await next();
  await page.getByLabel(/Gõ tên xã, phường/).fill('buon ma thuot');
  await page.locator('.choice-list input[type=radio]').first().check();
  await page.getByLabel(/Số nhà, đường/).fill('25 Phan Bội Châu');
  await page.getByLabel(/người được đăng ký khai sinh/).fill(v.child);
  await next();
  await page
    .getByLabel(/Ngày, tháng, năm sinh/)
    .first()
    .fill(v.childBirthDate);
  await page.getByLabel(/Giới tính/).selectOption(v.childSex);
  await page.getByLabel(/Nơi sinh/).fill('Bệnh viện Đa khoa vùng Tây Nguyên');
  await next();
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

export async function axe(page: Page, label: string): Promise<void> {
  await settled(page);
  await page.addScriptTag({ path: axePath });
  const violations = (await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[] }> } };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations;
  })) as AxeViolation[];
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert(
    bad.length === 0,
    `axe (${label}): ${bad.length} serious/critical violation(s):\n${bad
      .map(
        (v) =>
          `${v.impact} ${v.id}: ${v.help} → ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      )
      .join('\n')}`,
  );
}

export async function assertNoHorizontalScroll(page: Page, label: string): Promise<void> {
  const { scroll, client, culprit } = await page.evaluate(() => {
    const doc = document.documentElement;
    let culprit = '';
    if (doc.scrollWidth > doc.clientWidth) {
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        const r = el.getBoundingClientRect();
        if (r.right > doc.clientWidth + 1) {
          culprit = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${String(el.className).split(' ').join('.')} (right=${Math.round(r.right)})`;
          break;
        }
      }
    }
    return { scroll: doc.scrollWidth, client: doc.clientWidth, culprit };
  });
  assert(
    scroll <= client,
    `${label}: horizontal scroll at 360 px (scrollWidth ${scroll} > ${client}); first overflowing element: ${culprit}`,
  );
}

export async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: true });
}

export async function visibleText(page: Page, text: string): Promise<boolean> {
  return page
    .getByText(text, { exact: true })
    .first()
    .isVisible()
    .catch(() => false);
}

/** Trợ cấp thờ cúng liệt sĩ (Sở Nội vụ): the procedure the processing and ratings journeys file, and its form (the API tests'). */
export { THO_CUNG };
export const thoCungForm = thoCungFormFor();
