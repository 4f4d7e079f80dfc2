/**
 * Browser tests: builds the web app, starts the real server on a free port with a fresh embedded
 * database (demo seed), then drives Debian Chromium with playwright-core:
 *   - every demo account signs in through the UI and lands on its own home (heading, navigation);
 *   - screenshots at 1280 and 360 px go to e2e/screenshots/ (for people to look at);
 *   - axe-core (WCAG 2.1 A/AA) finds no serious or critical violation on login, homes, account and
 *     admin pages; no page scrolls sideways at 360 px;
 *   - a wrong password shows the Vietnamese error; the language switch works and is remembered;
 *   - the public procedure catalogue: an anonymous search without diacritics, the detail page, and an
 *     admin edit that publishes a new version;
 *   - the dossier journey: a citizen at 360 px submits online with attachments, the ward's desk receives
 *     it, the citizen sees the receipt PDF and the due date, and the public tracking page.
 * Ends with one line "N passed, N failed" and a non-zero exit code on any failure.
 *
 * Env: E2E_SKIP_BUILD=1 reuses dist/web; CHROMIUM=/path overrides the browser; E2E_BASE_URL=http://…
 * runs against a server that is already up (no server is started then).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import * as OTPAuth from 'otpauth';
import { type Browser, chromium, type Page } from 'playwright-core';
import { samplePdf } from '../src/server/platform/files/testing';
import { feedbackSuite } from './feedback';
import {
  assert,
  assertNoHorizontalScroll,
  assertNoPageErrors,
  axe,
  buildWeb,
  fillBirthRegistration,
  h1,
  login,
  newPage,
  openLogin,
  PASSWORD,
  type Server,
  settled,
  shoot,
  startServer,
  THO_CUNG,
  tally,
  test,
  thoCungForm,
  visibleText,
} from './lib';
import { petitionsSuite } from './petitions';
import { ratingsSuite } from './ratings';

const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ---- expectations per demo account ----------------------------------------------------------------

interface RoleCase {
  user: string;
  path: string;
  heading: RegExp;
  /** Texts that must be visible on the home page (navigation, queues, entry points). */
  visible: string[];
}

const roles: RoleCase[] = [
  {
    user: 'admin',
    path: '/admin',
    heading: /^Quản trị hệ thống$/,
    visible: ['Đơn vị hành chính', 'Cơ quan, đơn vị', 'Cán bộ', 'Vai trò', 'Thủ tục hành chính', 'Nhật ký hệ thống', 'Hộp thư đi'],
  },
  { user: 'motcua', path: '/office', heading: /^Bàn làm việc$/, visible: ['Hồ sơ chờ tiếp nhận', 'Hồ sơ chờ trả kết quả'] },
  { user: 'chuyenvien', path: '/office', heading: /^Bàn làm việc$/, visible: ['Hồ sơ được giao xử lý'] },
  { user: 'lanhdao', path: '/office', heading: /^Bàn làm việc$/, visible: ['Hồ sơ chờ phê duyệt'] },
  { user: 'vanthu', path: '/office', heading: /^Bàn làm việc$/, visible: ['Văn bản đến chờ vào sổ'] },
  { user: 'congdan', path: '/', heading: /^Xin chào, .+/, visible: ['Thủ tục hành chính', 'Hồ sơ của tôi', 'Phản ánh hiện trường'] },
];

// ---- the suite -------------------------------------------------------------------------------------

async function main(): Promise<void> {
  assert(fs.existsSync(chromiumPath), `Chromium not found at ${chromiumPath} (apt-get install chromium)`);
  console.log('Building the web app…');
  await buildWeb();
  const external = process.env.E2E_BASE_URL;
  console.log(external ? `Using ${external}` : 'Starting the server…');
  const server = external ? { url: external, stop: async () => {}, log: () => '' } : await startServer();
  const base = server.url;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
  try {
    console.log(`Server at ${base}`);

    await test('login page: Vietnamese by default, accessible, no secrets listed', async () => {
      const { context, page } = await newPage(browser);
      await openLogin(page, `${base}/login`);
      assert((await h1(page)) === 'Đăng nhập', 'login heading');
      assert((await page.getAttribute('html', 'lang')) === 'vi', 'html lang="vi"');
      const body = await page.locator('body').innerText();
      assert(!/mật khẩu[^\n]*:\s*demo/i.test(body) && !/\bdemo\b/i.test(body), 'login page must not list demo credentials');
      await axe(page, 'login');
      await shoot(page, 'login');
      await page.setViewportSize({ width: 360, height: 780 });
      await assertNoHorizontalScroll(page, 'login');
      await shoot(page, 'login-360');
      assertNoPageErrors(page);
      await context.close();
    });

    await test('login: empty form shows the error summary linked to the fields', async () => {
      const { context, page } = await newPage(browser);
      await openLogin(page, `${base}/login`);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      const text = await summary.innerText();
      assert(text.includes('Vui lòng kiểm tra lại thông tin'), `summary title, got: ${text}`);
      assert(text.includes('Tên đăng nhập: Trường này là bắt buộc'), `username error in summary, got: ${text}`);
      assert(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), 'summary takes focus');
      await context.close();
    });

    await test('login: wrong password shows the Vietnamese error', async () => {
      const { context, page } = await newPage(browser);
      await login(page, base, 'congdan', 'sai-mat-khau-123');
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      const text = await summary.innerText();
      assert(text.includes('Tên đăng nhập hoặc mật khẩu không đúng'), `expected the Vietnamese error, got: ${text}`);
      assert(new URL(page.url()).pathname === '/login', 'stays on the login page');
      await context.close();
    });

    await test('language switch: English is remembered, Vietnamese comes back', async () => {
      const { context, page } = await newPage(browser);
      await openLogin(page, `${base}/login`);
      await page.getByRole('button', { name: /English/ }).click();
      await page.locator('main h1', { hasText: 'Sign in' }).waitFor();
      assert((await page.getAttribute('html', 'lang')) === 'en', 'html lang="en"');
      await page.reload();
      await page.locator('main h1', { hasText: 'Sign in' }).waitFor();
      await page.getByRole('button', { name: /Tiếng Việt/ }).click();
      await page.locator('main h1', { hasText: 'Đăng nhập' }).waitFor();
      assertNoPageErrors(page);
      await context.close();
    });

    await test('anonymous portal home: public entry points, accessible', async () => {
      const { context, page } = await newPage(browser);
      await page.goto(`${base}/`);
      assert((await h1(page)) === 'Dịch vụ công trực tuyến', 'portal heading');
      await axe(page, 'portal (anonymous)');
      await page
        .locator('main')
        .getByRole('link', { name: /Thủ tục hành chính/ })
        .first()
        .click();
      await page.waitForURL((u) => u.pathname === '/procedures');
      assert((await h1(page)) === 'Thủ tục hành chính', 'catalogue heading');
      await page.locator('main .result-card').first().waitFor();
      assertNoPageErrors(page);
      await context.close();
    });

    await test('anonymous: finds birth registration without diacritics and reads it', async () => {
      const { context, page } = await newPage(browser);
      await page.goto(`${base}/procedures`);
      assert((await h1(page)) === 'Thủ tục hành chính', 'catalogue heading');
      assert(await page.locator('header').getByRole('link', { name: 'Đăng nhập' }).isVisible(), 'a sign-in link in the header');
      await page.locator('main .result-card').first().waitFor();
      await axe(page, '/procedures');
      await page.getByRole('searchbox', { name: 'Tìm thủ tục' }).fill('dang ky khai sinh');
      await page.getByRole('button', { name: 'Tìm kiếm' }).click();
      await page.waitForURL(/q=dang/);
      await settled(page);
      const first = page.locator('main .result-card').first();
      const title = (await first.locator('.result-title').innerText()).trim();
      assert(title === 'Thủ tục đăng ký khai sinh', `first result is birth registration, got "${title}"`);
      assert((await first.locator('code').innerText()).startsWith('1.001193'), 'with its national code');
      assert(/Trực tuyến toàn trình|Trực tuyến một phần|Cung cấp thông tin/.test(await first.innerText()), 'online level badge');
      assert(/ngày làm việc|giờ làm việc|Xem chi tiết/.test(await first.innerText()), 'legal time');
      await shoot(page, 'procedures-search');
      // The query is in the address: a reload keeps it.
      await page.reload();
      await page.locator('main .result-card').first().waitFor();
      assert((await page.getByRole('searchbox', { name: 'Tìm thủ tục' }).inputValue()) === 'dang ky khai sinh', 'query survives reload');
      await page.setViewportSize({ width: 360, height: 780 });
      await assertNoHorizontalScroll(page, '/procedures (results)');
      await page.getByRole('button', { name: /^Bộ lọc/ }).click();
      assert(await page.getByLabel('Lĩnh vực').isVisible(), 'filters open on a phone');
      await assertNoHorizontalScroll(page, '/procedures (filters open)');
      await shoot(page, 'procedures-search-360');
      await page.setViewportSize({ width: 1280, height: 900 });

      await first.locator('.result-title a').click();
      await page.waitForURL(/\/procedures\/1\.001193/);
      assert((await h1(page)) === 'Thủ tục đăng ký khai sinh', 'detail heading');
      await page.getByRole('heading', { name: 'Thành phần hồ sơ' }).waitFor();
      const components = await page.locator('section[aria-labelledby="procedure-components"] tbody tr').count();
      assert(components > 0, 'dossier components are listed');
      assert(await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).isVisible(), 'an online submission link');
      assert(/Phiên bản \d+, cập nhật \d{2}\/\d{2}\/\d{4}/.test(await page.locator('main').innerText()), 'version line');
      await axe(page, 'procedure detail');
      await shoot(page, 'procedure-detail');
      await page.setViewportSize({ width: 360, height: 780 });
      await assertNoHorizontalScroll(page, 'procedure detail');
      await shoot(page, 'procedure-detail-360');
      await page.getByRole('link', { name: 'Quay lại kết quả tìm kiếm' }).click();
      await page.waitForURL(/\/procedures\?q=dang/);
      // The Vietnamese address leads to the same page.
      await page.goto(`${base}/thu-tuc?q=khai%20tu`);
      await page.waitForURL(/\/procedures\?q=khai/);
      assertNoPageErrors(page);
      await context.close();
    });

    await test('dossier journey: a citizen submits online with attachments, the desk receives, the citizen sees the receipt and due date', async () => {
      const pdf = path.join(os.tmpdir(), `tinhso-e2e-scan-${process.pid}.pdf`);
      fs.writeFileSync(pdf, samplePdf());
      const citizen = await newPage(browser, 360);
      const cp = citizen.page;
      let code = '';
      let dossierUrl = '';
      try {
        await login(cp, base, 'congdan');
        await cp.waitForURL((u) => u.pathname === '/');
        // Finds the procedure without diacritics.
        await cp.goto(`${base}/procedures?q=${encodeURIComponent('dang ky khai sinh')}`);
        await cp.locator('main .result-card').first().waitFor();
        await cp.locator('main .result-card').first().locator('.result-title a').click();
        await cp.waitForURL(/\/procedures\/1\.001193/);
        await cp.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
        await cp.waitForURL(/\/nop/);
        // Nothing chosen: the error summary takes focus.
        await cp.getByRole('button', { name: 'Tiếp tục' }).click();
        await cp.locator('.error-summary').waitFor();
        await cp.getByLabel('Ủy ban nhân dân phường Buôn Ma Thuột').check();
        await cp.getByRole('button', { name: 'Tiếp tục' }).click();
        await cp.waitForURL(/draft=.*step=form-1/);
        await axe(cp, 'wizard: form step');
        await fillBirthRegistration(cp, {
          birthDate: '1992-03-08',
          idNumber: '066192004321',
          child: 'Trần Ngọc Hân',
          childBirthDate: '2026-11-10',
          childSex: 'nu',
        });
        for (const key of ['tp1', 'tp2', 'tp6']) {
          await cp.setInputFiles(`#dossier-c-${key}-input`, pdf);
          await cp
            .locator(`#dossier-c-${key} .upload-item`)
            .getByRole('button', { name: /Xóa tệp/ })
            .waitFor();
        }
        await assertNoHorizontalScroll(cp, 'wizard: attachments');
        await shoot(cp, 'wizard-attachments-360');
        await cp.getByRole('button', { name: 'Tiếp tục' }).click();
        await cp.getByRole('radio', { name: /Nhận bản điện tử trên Cổng dịch vụ công/ }).check();
        await cp.getByRole('radio', { name: /Thư điện tử \(email\)/ }).check();
        // No e-mail was given on the form, so there is nothing to pre-fill: type one.
        await cp.locator('#dossier-notify-to').fill('congdan@example.vn');
        await cp.getByRole('button', { name: 'Tiếp tục' }).click();
        await shoot(cp, 'wizard-review-360');
        await cp.getByRole('button', { name: 'Nộp hồ sơ' }).click();
        await cp.waitForURL(/\/my-dossiers\/[^/]+\/submitted/);
        code = (await cp.locator('.dossier-code').innerText()).trim();
        assert(/^H66\.201-\d{6}-\d{4}$/.test(code), `a dossier code, got "${code}"`);
        // The image may still be on its way when the page is there: wait for it to settle.
        const qrLoaded = await cp.locator('img.qr').evaluate(async (img: HTMLImageElement) => {
          if (!img.complete)
            await new Promise((r) => {
              img.addEventListener('load', r, { once: true });
              img.addEventListener('error', r, { once: true });
            });
          return img.naturalWidth > 0;
        });
        assert(qrLoaded, 'the QR loads');
        await axe(cp, 'submitted');
        await shoot(cp, 'dossier-submitted-360');
        dossierUrl = new URL(cp.url()).pathname.replace(/\/submitted$/, '');
        assertNoPageErrors(cp);
      } finally {
        await citizen.context.close();
      }

      // The ward's one-stop officer finds it in the queue and receives it.
      const officer = await newPage(browser);
      const op = officer.page;
      try {
        await login(op, base, 'motcua.bmt');
        await op.waitForURL((u) => u.pathname === '/office');
        await op.goto(`${base}/office/reception`);
        await op.locator('table.queue-table tbody tr').first().waitFor();
        await axe(op, 'reception queue');
        await shoot(op, 'reception-queue');
        await op.locator('a.row-link', { hasText: code }).click();
        await op.waitForURL(/\/office\/dossiers\//);
        await op.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
        await op.getByRole('dialog').getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
        await op.getByText('Hồ sơ đã được tiếp nhận').first().waitFor();
        await op.locator('[data-testid="receipt-link"]').waitFor();
        await axe(op, 'dossier received (office)');
        await shoot(op, 'office-dossier-received');
        assertNoPageErrors(op);
      } finally {
        await officer.context.close();
      }

      // The citizen sees the receipt (Mẫu 01 PDF) and the due date.
      const again = await newPage(browser, 360);
      const ap = again.page;
      try {
        await login(ap, base, 'congdan');
        await ap.waitForURL((u) => u.pathname === '/');
        await ap.goto(`${base}${dossierUrl}`);
        await ap.getByText('Được tiếp nhận').first().waitFor();
        const receipt = ap.getByRole('link', { name: /giấy tiếp nhận/i }).first();
        await receipt.waitFor();
        const href = await receipt.getAttribute('href');
        assert(href, 'a receipt link');
        const res = await ap.request.get(`${base}${href}`);
        assert(res.headers()['content-type'] === 'application/pdf', `the receipt is a PDF, got ${res.headers()['content-type']}`);
        const main = await ap.locator('main').innerText();
        assert(/\d{2}\/\d{2}\/\d{4}/.test(main) && /hẹn trả/i.test(main), 'the due date is shown');
        await axe(ap, 'my dossier (received)');
        await assertNoHorizontalScroll(ap, 'my dossier');
        await shoot(ap, 'my-dossier-received-360');
        // Anyone can track it by code, without personal data.
        await ap.goto(`${base}/tra-cuu/${code}`);
        await ap.getByRole('heading', { name: 'Thông tin công khai' }).waitFor();
        assert(!(await ap.locator('main').innerText()).includes('066192004321'), 'no ID number on the public page');
        await axe(ap, 'tracking');
        assertNoPageErrors(ap);
      } finally {
        await again.context.close();
        fs.rmSync(pdf, { force: true });
      }
    });

    for (const r of roles) {
      await test(`${r.user}: signs in and sees the right home`, async () => {
        const { context, page } = await newPage(browser);
        await login(page, base, r.user);
        await page
          .waitForURL((u) => u.pathname === r.path, { timeout: 20_000 })
          .catch(async () => {
            const summary = await page
              .locator('.error-summary')
              .innerText()
              .catch(() => '');
            throw new Error(`expected ${r.path} after login, at ${page.url()} ${summary ? `— ${summary}` : ''}`);
          });
        await settled(page);
        await page
          .locator('main h1', { hasText: r.heading })
          .waitFor({ timeout: 10_000 })
          .catch(async () => {
            throw new Error(`heading "${await h1(page)}" does not match ${r.heading}`);
          });
        for (const text of r.visible) assert(await visibleText(page, text), `"${text}" is not visible on ${r.user}'s home`);
        await axe(page, `${r.user} home`);
        await shoot(page, r.user);
        await page.setViewportSize({ width: 360, height: 780 });
        await settled(page);
        await assertNoHorizontalScroll(page, `${r.user} home`);
        await shoot(page, `${r.user}-360`);
        assertNoPageErrors(page);
        await context.close();
      });
    }

    await test('citizen: account pages are accessible and fit 360 px', async () => {
      const { context, page } = await newPage(browser);
      await login(page, base, 'congdan');
      await page.waitForURL((u) => u.pathname === '/');
      for (const p of ['/account/password', '/account/2fa', '/account/sessions', '/account/apps', '/my-dossiers']) {
        await page.goto(`${base}${p}`);
        await h1(page);
        await axe(page, p);
        await page.setViewportSize({ width: 360, height: 780 });
        await assertNoHorizontalScroll(page, p);
        await page.setViewportSize({ width: 1280, height: 900 });
      }
      assertNoPageErrors(page);
      await context.close();
    });

    await test('citizen: cannot open the admin area', async () => {
      const { context, page } = await newPage(browser);
      await login(page, base, 'congdan');
      await page.waitForURL((u) => u.pathname === '/');
      await page.goto(`${base}/admin/units`);
      assert((await h1(page)) === 'Không tìm thấy trang', 'admin area hidden from citizens');
      await context.close();
    });

    await test('admin: every admin page is accessible and fits 360 px', async () => {
      const { context, page } = await newPage(browser);
      await login(page, base, 'admin');
      await page.waitForURL((u) => u.pathname.startsWith('/admin'));
      const pages = [
        '/admin',
        '/admin/units',
        '/admin/units?level=commune&provinceCode=66',
        '/admin/units/new',
        '/admin/units/import',
        '/admin/agencies',
        '/admin/agencies?view=tree',
        '/admin/agencies/new',
        '/admin/agencies/import',
        '/admin/staff',
        '/admin/staff/new',
        '/admin/roles',
        '/admin/roles/new',
        '/admin/procedures',
        '/admin/procedures/new',
        '/admin/procedures/import',
        '/admin/audit',
        '/admin/outbox',
        '/admin/calendar?year=2026',
        '/admin/workflows',
        '/admin/sso-clients',
        '/admin/sso-clients/new',
      ];
      // Detail pages: follow the first link of each list.
      const firstLink = async (list: string, prefix: string): Promise<string | null> => {
        await page.goto(`${base}${list}`);
        await settled(page);
        const href = await page
          .locator(`main table a[href^="${prefix}"]`)
          .first()
          .getAttribute('href', { timeout: 5_000 })
          .catch(() => null);
        return href;
      };
      for (const [list, prefix] of [
        ['/admin/units?provinceCode=66', '/admin/units/'],
        ['/admin/units?includeClosed=true&level=district', '/admin/units/'],
        ['/admin/agencies', '/admin/agencies/'],
        ['/admin/staff', '/admin/staff/'],
        ['/admin/roles', '/admin/roles/'],
        ['/admin/procedures', '/admin/procedures/'],
        ['/admin/outbox', '/admin/outbox/'],
        ['/admin/workflows', '/admin/workflows/'],
        ['/admin/sso-clients', '/admin/sso-clients/'],
      ] as const) {
        const href = await firstLink(list, prefix);
        if (href)
          pages.push(
            href,
            ...(prefix === '/admin/units/' || prefix === '/admin/agencies/' || prefix === '/admin/staff/' ? [`${href}/edit`] : []),
            ...(prefix === '/admin/procedures/' ? [`${href}/versions/1`] : []),
          );
      }
      const problems: string[] = [];
      for (const p of pages) {
        try {
          await page.setViewportSize({ width: 1280, height: 900 });
          await page.goto(`${base}${p}`);
          await h1(page);
          await settled(page);
          const errorState = await page
            .locator('main .state-error')
            .first()
            .isVisible()
            .catch(() => false);
          if (errorState) problems.push(`${p}: shows an error state: ${await page.locator('main .state-error').first().innerText()}`);
          await axe(page, p);
          await page.setViewportSize({ width: 360, height: 780 });
          await assertNoHorizontalScroll(page, p);
        } catch (e) {
          problems.push(e instanceof Error ? e.message : String(e));
        }
      }
      await page.goto(`${base}/admin/units`);
      await settled(page);
      await shoot(page, 'admin-units-360');
      await page.setViewportSize({ width: 1280, height: 900 });
      await settled(page);
      await shoot(page, 'admin-units');
      assertNoPageErrors(page);
      await context.close();
      assert(problems.length === 0, `${problems.length} admin page problem(s):\n${problems.join('\n')}`);
    });

    await test('admin: unit search finds Đắk Lắk units without diacritics', async () => {
      const { context, page } = await newPage(browser);
      await login(page, base, 'admin');
      await page.waitForURL((u) => u.pathname.startsWith('/admin'));
      await page.goto(`${base}/admin/units`);
      await page.getByLabel('Tên hoặc mã').fill('buon ma thuot');
      await page.getByRole('button', { name: 'Lọc' }).click();
      await page.waitForURL(/q=buon/);
      await settled(page);
      const rows = await page.locator('main table tbody tr').count();
      assert(rows > 0, 'no unit found for "buon ma thuot"');
      assert(await page.getByText('Buôn Ma Thuột', { exact: false }).first().isVisible(), 'a Buôn Ma Thuột unit is listed');
      await context.close();
    });

    await test('admin: a form shows server-side field errors (duplicate unit code)', async () => {
      const { context, page } = await newPage(browser);
      await login(page, base, 'admin');
      await page.waitForURL((u) => u.pathname.startsWith('/admin'));
      await page.goto(`${base}/admin/units/new`);
      await page.locator('select[name="level"]').selectOption('province');
      await page.locator('input[name="code"]').fill('66');
      await page.locator('input[name="name"]').fill('Tỉnh Đắk Lắk');
      await page.locator('select[name="type"]').selectOption('tinh');
      await page.getByRole('button', { name: 'Tạo mới' }).click();
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      const text = await summary.innerText();
      assert(text.length > 0, 'an error summary is shown');
      assert(page.url().endsWith('/admin/units/new'), 'stays on the form');
      await context.close();
    });

    await test('admin: CSV import reports rejected rows and writes nothing', async () => {
      const { context, page } = await newPage(browser);
      await login(page, base, 'admin');
      await page.waitForURL((u) => u.pathname.startsWith('/admin'));
      const csv = path.join(os.tmpdir(), `tinhso-e2e-agencies-${process.pid}.csv`);
      fs.writeFileSync(
        csv,
        'code,name,short_name,kind,parent_code,admin_unit_code\nH66.901,Sở Kiểm thử,SKT,so_nganh,H66,66\nSAI,Dòng sai mã,,so_nganh,H66,66\n',
      );
      try {
        await page.goto(`${base}/admin/agencies/import`);
        await page.locator('input[type=file]').setInputFiles(csv);
        await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
        await page.getByRole('heading', { name: 'Các dòng lỗi' }).waitFor();
        const rows = await page.locator('main table').last().locator('tbody tr').allInnerTexts();
        assert(rows.length === 1 && rows[0]?.startsWith('3'), `one rejected row, line 3; got ${JSON.stringify(rows)}`);
        assert((await page.getByRole('button', { name: 'Nhập vào hệ thống' }).count()) === 0, 'no import button while rows are rejected');
        await axe(page, 'import report');
      } finally {
        fs.rmSync(csv, { force: true });
      }
      await context.close();
    });

    await test('admin: saving a procedure publishes the next version; the old one stays readable', async () => {
      const { context, page } = await newPage(browser);
      await login(page, base, 'admin');
      await page.waitForURL((u) => u.pathname.startsWith('/admin'));
      await page.goto(`${base}/admin/procedures?q=${encodeURIComponent('dang ky khai tu')}`);
      await settled(page);
      await page.locator('main table a[href^="/admin/procedures/"]').first().click();
      await page.getByRole('button', { name: /^Lưu và đăng phiên bản \d+$/ }).waitFor();
      const lead = await page.locator('main .page-header .lead').innerText();
      const version = Number(/Phiên bản (\d+)/.exec(lead)?.[1]);
      assert(version >= 1, `current version shown, got "${lead}"`);
      const nameField = page.getByLabel('Tên thủ tục', { exact: false }).first();
      const oldName = (await nameField.inputValue()).trim();
      const newName = `${oldName.replace(/ \(sửa lần \d+\)$/, '')} (sửa lần ${version})`;
      await nameField.fill(newName);
      await page.getByRole('button', { name: `Lưu và đăng phiên bản ${version + 1}` }).click();
      await page.getByText(`Đã lưu và đăng phiên bản ${version + 1}.`).waitFor();
      assert((await h1(page)) === newName, 'the heading shows the new name');
      assert((await page.locator('main .page-header .lead').innerText()).includes(`Phiên bản ${version + 1}`), 'lead shows version+1');
      await page.getByRole('link', { name: `Phiên bản ${version}`, exact: true }).click();
      await page.getByText(`Phiên bản ${version} — chỉ xem, không sửa được.`).waitFor();
      assert((await h1(page)) === oldName, `version ${version} keeps the old name`);
      assert((await page.locator('main form').count()) === 0, 'an old version is read-only');
      await axe(page, 'procedure version (read-only)');
      assertNoPageErrors(page);
      await context.close();
    });

    await test('admin: the calendar page shows lunar holidays and swaps, and computes a due date', async () => {
      const { context, page } = await newPage(browser);
      await login(page, base, 'admin');
      await page.waitForURL((u) => u.pathname.startsWith('/admin'));
      await page.goto(`${base}/admin/calendar?year=2026`);
      await page.getByRole('heading', { name: 'Lịch năm 2026' }).waitFor();
      assert(
        ((await page.locator('#cal-day-2026-04-26').getAttribute('aria-label')) ?? '').includes('Giỗ Tổ'),
        'Giỗ Tổ 10/3 âm lịch (26/04/2026) is a holiday',
      );
      assert((await page.locator('#cal-day-2026-08-22').getAttribute('data-mark')) === 'LB', '22/08/2026 is a make-up working Saturday');
      await page.locator('#cal-day-2026-02-17').focus();
      await page.keyboard.press('ArrowRight');
      assert(await page.locator('#cal-day-2026-02-18').evaluate((el) => el === document.activeElement), 'arrow keys move between days');
      await shoot(page, 'admin-calendar');
      assertNoPageErrors(page);
      await context.close();
    });

    // Before the two-step test, which turns on TOTP for congdan2 (the neighbour in the field-report journey).
    await feedbackSuite(browser, base);

    await test('two-step verification: set up with the QR secret, then sign in with a code', async () => {
      const { context, page } = await newPage(browser);
      await login(page, base, 'congdan2');
      await page.waitForURL((u) => u.pathname === '/');
      await page.goto(`${base}/account/2fa`);
      await page.getByRole('button', { name: 'Bắt đầu cài đặt' }).click();
      const secret = (await page.locator('.secret').innerText()).replace(/\s/g, '');
      assert(/^[A-Z2-7]+=*$/.test(secret), `a base32 secret is shown, got "${secret}"`);
      assert(await page.locator('img.qr').isVisible(), 'the QR code is shown');
      await axe(page, '2fa set-up');
      const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
      await page.locator('input[name="code"]').fill('000000' === totp.generate() ? '111111' : '000000');
      await page.getByRole('button', { name: 'Bật xác thực hai lớp' }).click();
      await page.locator('.error-summary').waitFor();
      await page.locator('input[name="code"]').fill(totp.generate());
      await page.getByRole('button', { name: 'Bật xác thực hai lớp' }).click();
      await page.getByText('Đã bật xác thực hai lớp.').waitFor();
      await page.locator('.account-button').click();
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.waitForURL((u) => u.pathname === '/login');
      await page.getByLabel('Tên đăng nhập').waitFor({ timeout: 20_000 });
      await login(page, base, 'congdan2');
      await page.locator('input[name="code"]').waitFor();
      // A code is accepted once: use the next time step's code (the server allows ±1 step).
      await page.locator('input[name="code"]').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
      await page.getByRole('button', { name: 'Xác nhận' }).click();
      await page.waitForURL((u) => u.pathname === '/');
      await page.locator('main h1', { hasText: /^Xin chào/ }).waitFor();
      assertNoPageErrors(page);
      await context.close();
    });

    await test('processing: desk forwards, leader assigns, specialist drafts and submits, leader signs, desk returns; the citizen downloads the signed result; it verifies', async () => {
      // The citizen files a province-level dossier (thờ cúng liệt sĩ) through the API.
      const citizen = await newPage(browser);
      await login(citizen.page, base, 'congdan');
      await citizen.page.waitForURL((u) => u.pathname === '/');
      const req = citizen.page.request;
      const csrf = ((await (await req.get(`${base}/api/v1/auth/csrf`)).json()) as { token: string }).token;
      const files: { componentKey: string; fileId: string }[] = [];
      for (const key of ['tp1', 'tp2']) {
        const up = await req.post(`${base}/api/v1/files`, {
          headers: { 'x-csrf-token': csrf },
          multipart: { file: { name: `${key}.pdf`, mimeType: 'application/pdf', buffer: samplePdf(`${key} ${Date.now()}`) } },
        });
        assert(up.ok(), `upload ${key}: ${up.status()}`);
        files.push({ componentKey: key, fileId: ((await up.json()) as { id: string }).id });
      }
      const created = await req.post(`${base}/api/v1/dossiers`, {
        headers: { 'x-csrf-token': csrf },
        data: {
          procedureId: THO_CUNG,
          form: thoCungForm,
          files,
          resultDelivery: 'counter',
          submit: true,
        },
      });
      assert(created.ok(), `create: ${created.status()} ${await created.text()}`);
      const dossier = (await created.json()) as { id: string; code: string };
      await citizen.context.close();
      const url = `${base}/office/dossiers/${dossier.id}`;
      const panel = (p: Page) => p.locator('section.processing-panel');
      /** Clicks the first action the officer has, fills what it asks, submits and confirms. */
      const doAction = async (p: Page, name: string, fill?: (p: Page) => Promise<void>, confirm = false) => {
        await panel(p).locator('[data-testid="work-actions"]').getByRole('button', { name }).click();
        await fill?.(p);
        await panel(p)
          .getByRole('button', { name: /^Xác nhận:/ })
          .click();
        // Signing and returning cannot be undone: they ask first.
        if (confirm) await p.locator('dialog[open]').getByRole('button', { name: 'Đồng ý' }).click();
        await panel(p)
          .getByText(/^Đã thực hiện:/)
          .waitFor()
          .catch(async (e: Error) => {
            await shoot(p, 'processing-failed');
            throw new Error(`${name}: ${e.message.split('\n')[0]}\n${(await panel(p).innerText()).slice(0, 1500)}`);
          });
      };
      const as = async (user: string, fn: (p: Page) => Promise<void>) => {
        const { context, page } = await newPage(browser);
        try {
          await login(page, base, user);
          await page.waitForURL((u) => u.pathname === '/office');
          await fn(page);
          assertNoPageErrors(page);
        } finally {
          await context.close();
        }
      };
      await as('motcua', async (p) => {
        await p.goto(url);
        await p.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
        await p.getByRole('dialog').getByRole('button', { name: 'Tiếp nhận hồ sơ' }).click();
        await panel(p).waitFor();
        await axe(p, 'processing panel (desk)');
        await doAction(p, 'Chuyển hồ sơ đến cơ quan giải quyết');
      });
      await as('lanhdao.snv', async (p) => {
        await p.goto(`${base}/office/work?view=unassigned`);
        await p.locator('a.row-link', { hasText: dossier.code }).waitFor();
        await axe(p, 'work queue (unassigned)');
        await p.locator('a.row-link', { hasText: dossier.code }).click();
        await doAction(p, 'Phân công chuyên viên thụ lý', async (q) => {
          await panel(q)
            .getByLabel(/Cán bộ thụ lý/)
            .selectOption({ index: 1 });
        });
      });
      await as('chuyenvien.snv', async (p) => {
        await p.goto(`${base}/office/work`);
        await p.locator('a.row-link', { hasText: dossier.code }).click();
        await panel(p).getByRole('button', { name: 'Dự thảo kết quả' }).click();
        await p.getByLabel('Tên kết quả').fill('QUYẾT ĐỊNH');
        await p.getByLabel(/^Nội dung/).fill('Giải quyết chế độ trợ cấp thờ cúng liệt sĩ.\n\nQuyết định có hiệu lực kể từ ngày ký.');
        await p.getByRole('button', { name: 'Lưu dự thảo' }).click();
        await p.locator('[data-testid="result-draft"]').waitFor();
        await doAction(p, 'Thẩm định, trình dự thảo kết quả');
      });
      await as('lanhdao.snv', async (p) => {
        await p.goto(url);
        await doAction(p, 'Phê duyệt kết quả', undefined, true);
        await p.locator('[data-testid="result-signed"]').waitFor();
      });
      await as('motcua', async (p) => {
        await p.goto(url);
        await doAction(p, 'Trả kết quả cho người nộp', undefined, true);
        await p.goto(`${base}/office/register`);
        await p.locator('a', { hasText: dossier.code }).first().waitFor();
        await axe(p, 'register');
      });
      // The applicant, on a phone, downloads the signed result from "Hồ sơ của tôi"; pdfsig says it is valid.
      const owner = await newPage(browser, 360);
      try {
        await login(owner.page, base, 'congdan');
        await owner.page.waitForURL((u) => u.pathname === '/');
        await owner.page.goto(`${base}/my-dossiers/${dossier.id}`);
        const link = owner.page.locator('[data-testid="citizen-result"]');
        await link.waitFor();
        const [download] = await Promise.all([owner.page.waitForEvent('download'), link.click()]);
        const file = path.join(os.tmpdir(), `tinhso-e2e-result-${dossier.code}.pdf`);
        await download.saveAs(file);
        const bytes = fs.readFileSync(file);
        assert(bytes.subarray(0, 5).toString() === '%PDF-', 'the downloaded result is a PDF');
        const pdfsig = spawnSync('pdfsig', [file], { encoding: 'utf8' });
        if (pdfsig.error === undefined) assert(/Signature is Valid/.test(pdfsig.stdout), `pdfsig: ${pdfsig.stdout}`);
        fs.rmSync(file, { force: true });
        await axe(owner.page, 'citizen dossier with its result');
        await assertNoHorizontalScroll(owner.page, 'citizen dossier with its result');
      } finally {
        await owner.context.close();
      }
      const anon = await newPage(browser, 360);
      try {
        await anon.page.goto(`${base}/xac-thuc/${dossier.code}`);
        await anon.page.getByText('Sở Nội vụ').first().waitFor();
        await axe(anon.page, 'verification page');
        await assertNoHorizontalScroll(anon.page, 'verification page');
        assert(!(await anon.page.locator('main').innerText()).includes('Nguyễn Văn An'), 'no personal data on the verification page');
        assertNoPageErrors(anon.page);
      } finally {
        await anon.context.close();
      }
    });

    // ---- single sign-on (OIDC provider at /oidc; the SPA is its login and consent page) ----------------

    await test('SSO: a citizen signs in from the header through /oidc/auth and lands signed in', async () => {
      const { context, page } = await newPage(browser);
      const seen: string[] = [];
      page.on('request', (r) => {
        if (r.isNavigationRequest()) seen.push(new URL(r.url()).pathname);
      });
      await page.goto(`${base}/procedures`);
      await h1(page);
      await page.locator('.masthead').getByRole('link', { name: 'Đăng nhập', exact: true }).click();
      await page.getByLabel('Tên đăng nhập').waitFor({ timeout: 20_000 });
      const loginUrl = new URL(page.url());
      assert(loginUrl.pathname === '/login' && loginUrl.searchParams.get('interaction'), `an interaction login page, at ${page.url()}`);
      await page.getByRole('link', { name: 'Đăng nhập bằng VNeID' }).waitFor();
      const vneid = new URL((await page.getByRole('link', { name: 'Đăng nhập bằng VNeID' }).getAttribute('href')) ?? '', base);
      assert(
        vneid.pathname === '/auth/vneid/start' &&
          vneid.searchParams.get('next') === `/login?interaction=${loginUrl.searchParams.get('interaction')}`,
        `VNeID returns to the interaction, got ${vneid.href}`,
      );
      await page.getByLabel('Tên đăng nhập').fill('congdan');
      await page.getByLabel('Mật khẩu').fill(PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 });
      await page.locator('main h1', { hasText: /^Xin chào/ }).waitFor();
      assert(await page.locator('.account-button').isVisible(), 'signed in: the account menu is shown');
      for (const step of ['/auth/sso/start', '/oidc/auth', '/login', '/auth/sso/callback'])
        assert(seen.includes(step) || seen.some((x) => x.startsWith(`${step}/`)), `navigation passed through ${step}: ${seen.join(' → ')}`);
      assertNoPageErrors(page);
      await context.close();
    });

    await test('SSO + VNeID: the login page button goes through the VNeID sandbox and comes back signed in', async () => {
      const { context, page } = await newPage(browser, 360);
      await openLogin(page, `${base}/login?next=${encodeURIComponent('/my-dossiers')}`);
      await page.getByRole('link', { name: 'Đăng nhập bằng VNeID' }).click();
      await page.locator('h1', { hasText: 'Đăng nhập bằng tài khoản định danh điện tử' }).waitFor({ timeout: 20_000 });
      await page.getByLabel(/^Mật khẩu/).fill(PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
      // Back on the same interaction, signed in: it continues by itself to the page asked for.
      await page
        .waitForURL((u) => u.pathname === '/my-dossiers', { timeout: 30_000 })
        .catch(async (e: Error) => {
          throw new Error(
            `${e.message.split('\n')[0]} — at ${page.url()}: ${(
              await page
                .locator('main')
                .innerText()
                .catch(() => '')
            ).slice(0, 400)}`,
          );
        });
      await page.locator('.account-button').waitFor();
      assertNoPageErrors(page);
      await context.close();
    });

    await test('SSO: an unknown or expired interaction explains itself in Vietnamese', async () => {
      const { context, page } = await newPage(browser, 360);
      await page.goto(`${base}/login?interaction=khong-ton-tai`);
      assert((await h1(page)) === 'Yêu cầu đăng nhập đã hết hạn', 'expired heading');
      assert(await page.getByRole('link', { name: 'Bắt đầu đăng nhập lại' }).isVisible(), 'a link to start again');
      await axe(page, 'expired interaction');
      await assertNoHorizontalScroll(page, 'expired interaction');
      await context.close();
    });

    await test('SSO: the admin registers a client in the UI and sees its secret once', async () => {
      const { context, page } = await newPage(browser);
      await login(page, base, 'admin');
      await page.waitForURL((u) => u.pathname.startsWith('/admin'));
      await page.goto(`${base}/admin/sso-clients`);
      assert((await h1(page)) === 'Ứng dụng SSO', 'admin page heading');
      await axe(page, 'SSO clients');
      await page.getByRole('link', { name: 'Đăng ký ứng dụng' }).first().click();
      await page.locator('main h1', { hasText: 'Đăng ký ứng dụng' }).waitFor();
      // Client-side checks first: a plain-http redirect URI is refused in Vietnamese.
      await page.getByLabel('Tên ứng dụng').fill('Cổng thông tin huyện Krông Pắc');
      await page.getByLabel(/Địa chỉ chuyển hướng/).fill('http://krongpac.example.vn/callback');
      await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      assert((await summary.innerText()).includes('Phải dùng https'), `https required, got: ${await summary.innerText()}`);
      await page.getByLabel(/Địa chỉ chuyển hướng/).fill('https://krongpac.example.vn/callback');
      await page.getByLabel('Thư điện tử', { exact: false }).first().check();
      await axe(page, 'SSO client form');
      await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
      const box = page.locator('[data-testid="client-secret"]');
      await box.waitFor();
      const secret = (await box.locator('.secret').innerText()).trim();
      assert(secret.length >= 20, `a client secret is shown, got "${secret}"`);
      assert((await box.innerText()).includes('chỉ hiện một lần'), 'the once-only warning');
      await axe(page, 'SSO client created (secret)');
      await shoot(page, 'sso-client-secret');
      await page.setViewportSize({ width: 360, height: 780 });
      await assertNoHorizontalScroll(page, 'SSO client secret');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.getByRole('link', { name: 'Xem ứng dụng' }).click();
      await page.locator('main h1', { hasText: 'Cổng thông tin huyện Krông Pắc' }).waitFor();
      await settled(page);
      assert(!(await page.locator('main').innerText()).includes(secret), 'the secret is not shown again');
      await page.reload();
      await h1(page);
      await settled(page);
      assert(!(await page.locator('main').innerText()).includes(secret), 'nor after a reload');
      await axe(page, 'SSO client detail');
      // Rotating shows a new secret once; disabling asks first.
      await page.getByRole('button', { name: 'Cấp khóa bí mật mới' }).click();
      await page.getByRole('button', { name: 'Cấp khóa mới' }).click();
      await box.waitFor();
      const rotated = (await box.locator('.secret').innerText()).trim();
      assert(rotated.length >= 20 && rotated !== secret, 'a new secret after rotation');
      await page.getByRole('button', { name: 'Vô hiệu hóa', exact: true }).click();
      await page.getByRole('button', { name: 'Vô hiệu hóa ứng dụng' }).click();
      await page.getByText('Đã vô hiệu hóa', { exact: false }).first().waitFor();
      await page.goto(`${base}/admin/sso-clients`);
      await page.locator('main table', { hasText: 'Cổng thông tin huyện Krông Pắc' }).waitFor();
      assertNoPageErrors(page);
      await context.close();
    });

    await test('SSO: a third-party client asks consent; the user agrees; the browser reaches the redirect URI with a code', async () => {
      // The client's redirect URI: a tiny local server that records what arrives.
      const arrived: string[] = [];
      const rp = http.createServer((req, res) => {
        arrived.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          '<!doctype html><html lang="vi"><head><title>Ứng dụng thử</title></head><body><main><h1>Ứng dụng thử</h1></main></body></html>',
        );
      });
      await new Promise<void>((r) => rp.listen(0, '127.0.0.1', () => r()));
      const rpPort = (rp.address() as net.AddressInfo).port;
      const redirectUri = `http://127.0.0.1:${rpPort}/cb`;
      const admin = await newPage(browser);
      const user = await newPage(browser, 360);
      try {
        await login(admin.page, base, 'admin');
        await admin.page.waitForURL((u) => u.pathname.startsWith('/admin'));
        const req = admin.page.request;
        const csrf = ((await (await req.get(`${base}/api/v1/auth/csrf`)).json()) as { token: string }).token;
        const created = await req.post(`${base}/api/v1/sso/clients`, {
          headers: { 'x-csrf-token': csrf },
          data: {
            name: 'Ứng dụng thử nghiệm',
            kind: 'confidential',
            redirectUris: [redirectUri],
            postLogoutRedirectUris: [],
            scopes: ['openid', 'profile', 'email', 'tinhso:id_number'],
            firstParty: false,
          },
        });
        assert(created.ok(), `create client: ${created.status()} ${await created.text()}`);
        const c = (await created.json()) as { clientId: string; clientSecret: string };
        const config = await oidc.discovery(new URL(`${base}/oidc`), c.clientId, c.clientSecret, undefined, {
          execute: [oidc.allowInsecureRequests],
        });
        const authorize = async (extra: Record<string, string> = {}) => {
          const verifier = oidc.randomPKCECodeVerifier();
          const state = oidc.randomState();
          const url = oidc.buildAuthorizationUrl(config, {
            redirect_uri: redirectUri,
            scope: 'openid profile email tinhso:id_number',
            code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
            code_challenge_method: 'S256',
            state,
            ...extra,
          });
          return { url, verifier, state };
        };
        const first = await authorize();
        const p = user.page;
        await p.goto(first.url.href);
        await p.getByLabel('Tên đăng nhập').waitFor({ timeout: 20_000 });
        assert((await p.locator('main').innerText()).includes('Ứng dụng thử nghiệm'), 'the login page names the client');
        await p.getByLabel('Tên đăng nhập').fill('congdan');
        await p.getByLabel('Mật khẩu').fill(PASSWORD);
        await p.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
        // The consent screen: the client's name, each scope in plain Vietnamese.
        await p.locator('main h1', { hasText: 'Cho phép Ứng dụng thử nghiệm' }).waitFor({ timeout: 20_000 });
        const consent = await p.locator('main').innerText();
        for (const text of ['Họ tên', 'Địa chỉ thư điện tử', 'Số định danh cá nhân (CCCD)'])
          assert(consent.includes(text), `consent lists "${text}": ${consent}`);
        await axe(p, 'consent');
        await assertNoHorizontalScroll(p, 'consent');
        await shoot(p, 'sso-consent-360');
        await p.getByRole('button', { name: 'Đồng ý' }).click();
        await p.waitForURL((u) => u.port === String(rpPort), { timeout: 20_000 });
        const back = new URL(p.url());
        assert(back.pathname === '/cb' && back.searchParams.get('code'), `a code at the redirect URI, got ${p.url()}`);
        assert(back.searchParams.get('state') === first.state, 'state comes back');
        const tokens = await oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: first.verifier, expectedState: first.state });
        assert(typeof tokens.access_token === 'string' && tokens.claims()?.sub, 'the code is exchanged for tokens');

        // Signed in already, prompt=login: "continue with this account", and no second consent.
        const again = await authorize({ prompt: 'login' });
        await p.goto(again.url.href);
        const cont = p.getByRole('button', { name: /^Tiếp tục với tài khoản / });
        await cont.waitFor({ timeout: 20_000 });
        assert(await p.getByRole('button', { name: 'Đăng nhập bằng tài khoản khác' }).isVisible(), 'switch account offered');
        await axe(p, 'continue as');
        await shoot(p, 'sso-continue-as-360');
        await cont.click();
        await p.waitForURL((u) => u.port === String(rpPort), { timeout: 20_000 });
        assert(new URL(p.url()).searchParams.get('code'), 'a second code without asking consent again');

        // Refusing: a new authorization with prompt=consent, "Từ chối" → access_denied at the client.
        const denied = await authorize({ prompt: 'consent' });
        await p.goto(denied.url.href);
        await p.getByRole('button', { name: 'Từ chối' }).click();
        await p.waitForURL((u) => u.port === String(rpPort), { timeout: 20_000 });
        assert(new URL(p.url()).searchParams.get('error') === 'access_denied', `access_denied, got ${p.url()}`);

        // The person sees the connected app and can revoke it.
        await p.goto(`${base}/account/apps`);
        await p.locator('main h1', { hasText: 'Ứng dụng đã kết nối' }).waitFor();
        await p.locator('main', { hasText: 'Ứng dụng thử nghiệm' }).waitFor();
        await axe(p, 'connected apps');
        await shoot(p, 'sso-connected-apps-360');
        await assertNoHorizontalScroll(p, 'connected apps');
        await p.getByRole('button', { name: 'Thu hồi quyền của Ứng dụng thử nghiệm' }).click();
        await p.getByRole('button', { name: 'Thu hồi quyền', exact: true }).click();
        await p.getByText('Đã thu hồi quyền truy cập của Ứng dụng thử nghiệm.').waitFor();
        await p.getByText('Chưa có ứng dụng nào được kết nối').waitFor();
        assertNoPageErrors(p);
      } finally {
        await admin.context.close();
        await user.context.close();
        rp.close();
      }
    });

    await test('identity journey: a citizen signs in through the VNeID sandbox, submits reusing a paper from the e-data store, and sees the access entry', async () => {
      const pdf = path.join(os.tmpdir(), `tinhso-e2e-scan2-${process.pid}.pdf`);
      fs.writeFileSync(pdf, samplePdf());
      const { context, page: cp } = await newPage(browser, 360);
      try {
        // VNeID: the sandbox identity Nguyễn Thị Hồng maps to the account `congdan` by ID number.
        await openLogin(cp, `${base}/login?next=${encodeURIComponent('/procedures/1.001193')}`);
        await cp.getByRole('link', { name: 'Đăng nhập bằng VNeID' }).click();
        await cp.locator('h1', { hasText: 'Đăng nhập bằng tài khoản định danh điện tử' }).waitFor({ timeout: 20_000 });
        await cp.getByLabel(/Nguyễn Thị Hồng/).check();
        await cp.getByLabel(/^Mật khẩu/).fill(PASSWORD);
        await cp.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
        await cp.waitForURL((u) => u.pathname === '/procedures/1.001193', { timeout: 30_000 });
        const me = (await (await cp.request.get(`${base}/api/v1/auth/me`)).json()) as { username: string; assuranceLevel: number };
        assert(me.username === 'congdan' && me.assuranceLevel === 2, `congdan at assurance level 2, got ${JSON.stringify(me)}`);

        await cp.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click();
        await cp.waitForURL(/\/nop/);
        await cp.getByLabel('Ủy ban nhân dân phường Buôn Ma Thuột').check();
        await cp.getByRole('button', { name: 'Tiếp tục' }).click();
        await cp.waitForURL(/draft=.*step=form-1/);
        await fillBirthRegistration(cp, {
          birthDate: '1990-04-12',
          idNumber: '066190004217',
          child: 'Lê Minh Khang',
          childBirthDate: '2026-11-20',
          childSex: 'nam',
        });
        // tp1 from the store (no upload), the others uploaded.
        const first = cp.locator('#dossier-c-tp1');
        await first.getByRole('button', { name: /Chọn từ kho dữ liệu/ }).click();
        await first.locator('.picker-option', { hasText: 'Thẻ căn cước công dân' }).getByRole('button', { name: /^Chọn/ }).click();
        await first.getByText('Lấy từ kho dữ liệu').first().waitFor();
        for (const key of ['tp2', 'tp6']) {
          await cp.setInputFiles(`#dossier-c-${key}-input`, pdf);
          await cp
            .locator(`#dossier-c-${key} .upload-item`)
            .getByRole('button', { name: /Xóa tệp/ })
            .waitFor();
        }
        await shoot(cp, 'wizard-edata-reuse-360');
        await cp.getByRole('button', { name: 'Tiếp tục' }).click();
        await cp.getByRole('radio', { name: /Nhận bản điện tử trên Cổng dịch vụ công/ }).check();
        await cp.getByRole('radio', { name: /Thư điện tử \(email\)/ }).check();
        await cp.locator('#dossier-notify-to').fill('congdan@example.vn');
        await cp.getByRole('button', { name: 'Tiếp tục' }).click();
        await cp.getByRole('button', { name: 'Nộp hồ sơ' }).click();
        await cp.waitForURL(/\/my-dossiers\/[^/]+\/submitted/);
        const code = (await cp.locator('.dossier-code').innerText()).trim();
        assert(/^H66\.201-\d{6}-\d{4}$/.test(code), `a dossier code, got "${code}"`);

        // The store's access log names the reuse in that dossier.
        await cp.goto(`${base}/account/edata/log`);
        await cp.locator('main', { hasText: code }).waitFor({ timeout: 15_000 });
        const log = await cp.locator('main').innerText();
        assert(log.includes('Dùng lại trong hồ sơ') && log.includes(code), `the access log shows the reuse in ${code}`);
        await axe(cp, 'e-data access log');
        await assertNoHorizontalScroll(cp, 'e-data access log');
        await shoot(cp, 'edata-access-log-360');
        assertNoPageErrors(cp);
      } finally {
        await context.close();
      }
    });

    await ratingsSuite(browser, base);
    await petitionsSuite(browser, base);

    await test('sign-out ends the session', async () => {
      const { context, page } = await newPage(browser);
      await login(page, base, 'motcua');
      await page.waitForURL((u) => u.pathname === '/office');
      await h1(page);
      await page.locator('.account-button').click();
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.waitForURL((u) => u.pathname === '/login');
      // Through the provider again, to a fresh sign-in form that says so.
      await page.getByLabel('Tên đăng nhập').waitFor({ timeout: 20_000 });
      assert(new URL(page.url()).searchParams.get('interaction'), `the SSO sign-in page, at ${page.url()}`);
      await page.getByText('Bạn đã đăng xuất', { exact: false }).first().waitFor();
      const me = await page.request.get(`${base}/api/v1/auth/me`);
      assert(me.status() === 401, `signed out: /me answers ${me.status()}`);
      await page.goto(`${base}/office`);
      await page.waitForURL((u) => u.pathname === '/login');
      await context.close();
    });
  } finally {
    await browser.close();
    await server.stop();
  }
}

main()
  .catch((err) => {
    tally.failed++;
    console.error(err instanceof Error ? err.stack : err);
  })
  .finally(() => {
    if (tally.failures.length) console.log(`\nFailures:\n- ${tally.failures.join('\n- ')}`);
    console.log(`${tally.passed} passed, ${tally.failed} failed`);
    process.exit(tally.failed > 0 ? 1 : 0);
  });
