/**
 * Browser tests of satisfaction ratings (docs/ratings.md): three province-level dossiers are taken to "result
 * returned" over the HTTP API (as the server tests do: submit → receive → forward → assign → draft → appraise →
 * approve → return), then rated in the browser at 360 px through each channel — online from "Hồ sơ của tôi", the
 * signed link (no login), the counter kiosk (code + last 4 digits); the leader of Sở Nội vụ reads the figures and
 * the comments on /office/ratings; the public ranking /xep-hang names agencies, never officers or comments.
 */
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { samplePdf } from '../src/server/platform/files/testing';
import {
  assert,
  assertNoHorizontalScroll,
  assertNoPageErrors,
  axe,
  login,
  newPage,
  PASSWORD,
  settled,
  shoot,
  THO_CUNG,
  test,
  thoCungForm,
} from './lib';

/** A signed-in API client (its own browser context): cookies kept, the CSRF token sent on writes. */
export interface ApiUser {
  context: BrowserContext;
  me: { id: string; displayName: string };
  get(path: string): Promise<unknown>;
  post(path: string, data?: unknown): Promise<unknown>;
  request: APIRequestContext;
  csrf: string;
}

export async function apiUser(browser: Browser, base: string, username: string): Promise<ApiUser> {
  const context = await browser.newContext();
  const request = context.request;
  const csrf = ((await (await request.get(`${base}/api/v1/auth/csrf`)).json()) as { token: string }).token;
  const res = await request.post(`${base}/api/v1/auth/login`, {
    headers: { 'x-csrf-token': csrf },
    data: { username, password: PASSWORD },
  });
  assert(res.ok(), `API login ${username}: ${res.status()} ${await res.text()}`);
  const check = async (what: string, r: Awaited<ReturnType<APIRequestContext['get']>>) => {
    assert(r.ok(), `${what}: ${r.status()} ${(await r.text()).slice(0, 500)}`);
    return r.json();
  };
  const get = async (path: string) => check(`GET ${path}`, await request.get(`${base}${path}`));
  const post = async (path: string, data: unknown = {}) =>
    check(`POST ${path}`, await request.post(`${base}${path}`, { headers: { 'x-csrf-token': csrf }, data }));
  const me = (await get('/api/v1/auth/me')) as { id: string; displayName: string };
  return { context, me, get, post, request, csrf };
}

interface Cast {
  congdan: ApiUser;
  motcua: ApiUser;
  lanhdao: ApiUser;
  chuyenvien: ApiUser;
}

/** "Trợ cấp thờ cúng liệt sĩ" filed by congdan (ID …1234, phone …5678) and taken to "result returned" over the API. */
async function returnedDossier(base: string, c: Cast): Promise<{ id: string; code: string }> {
  const files: { componentKey: string; fileId: string }[] = [];
  for (const key of ['tp1', 'tp2']) {
    const up = await c.congdan.request.post(`${base}/api/v1/files`, {
      headers: { 'x-csrf-token': c.congdan.csrf },
      multipart: { file: { name: `${key}.pdf`, mimeType: 'application/pdf', buffer: samplePdf(`${key} ${Date.now()} ${Math.random()}`) } },
    });
    assert(up.ok(), `upload ${key}: ${up.status()}`);
    files.push({ componentKey: key, fileId: ((await up.json()) as { id: string }).id });
  }
  const d = (await c.congdan.post('/api/v1/dossiers', {
    procedureId: THO_CUNG,
    form: thoCungForm,
    files,
    resultDelivery: 'counter',
    submit: true,
  })) as { id: string; code: string };
  const act = (u: ApiUser, body: Record<string, unknown>) => u.post(`/api/v1/dossiers/${d.id}/act`, body);
  await c.motcua.post(`/api/v1/dossiers/${d.id}/receive`, {});
  await act(c.motcua, { action: 'forward' });
  await act(c.lanhdao, { action: 'assign', assigneeId: c.chuyenvien.me.id });
  await c.chuyenvien.post(`/api/v1/dossiers/${d.id}/result-draft`, {
    title: 'QUYẾT ĐỊNH',
    paragraphs: ['Giải quyết chế độ trợ cấp thờ cúng liệt sĩ.'],
  });
  await act(c.chuyenvien, { action: 'submit_appraisal' });
  await act(c.lanhdao, { action: 'approve' });
  await act(c.motcua, { action: 'return_result', returnMethod: 'counter' });
  return d;
}

/** Answers every criterion of the form on the page (the best level, or the second for `second`), adds a comment, sends. */
async function rate(page: Page, comment: string, second = false): Promise<void> {
  const form = page.locator('form.rating-form');
  await form.waitFor();
  // Nothing chosen: the error summary lists the criteria.
  await form.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await page.locator('.error-summary').waitFor();
  const criteria = form.locator('fieldset.rating-criterion');
  const n = await criteria.count();
  assert(n >= 4, `the TT 01 form has at least 4 criteria, got ${n}`);
  for (let i = 0; i < n; i++) {
    await criteria
      .nth(i)
      .locator('input[type=radio]')
      .nth(second && i === 0 ? 1 : 0)
      .check();
  }
  await form.getByLabel('Ý kiến khác').fill(comment);
  await form.getByRole('button', { name: 'Gửi đánh giá' }).click();
  await page.getByText('Cảm ơn Ông/Bà đã đánh giá').first().waitFor();
  const main = await page.locator('main').innerText();
  assert(/Điểm đánh giá:\s*\d+\/\d+ điểm/.test(main), `the score is shown after rating:\n${main.slice(0, 800)}`);
}

export async function ratingsSuite(browser: Browser, base: string): Promise<void> {
  const stamp = Date.now().toString(36);
  const comments = {
    online: `Cán bộ hướng dẫn tận tình (trực tuyến ${stamp}).`,
    link: `Đánh giá qua đường dẫn ${stamp}.`,
    kiosk: `Đánh giá tại ki-ốt ${stamp}.`,
  };
  let cast: Cast | null = null;
  const dossiers: { id: string; code: string }[] = [];
  let ratingUrl = '';
  const dossier = (i: number) => {
    const d = dossiers[i];
    assert(d, `returned dossier ${i + 1} from the first test`);
    return d;
  };

  await test('ratings: three dossiers returned over the API (submit, receive, process, return)', async () => {
    const c: Cast = {
      congdan: await apiUser(browser, base, 'congdan'),
      motcua: await apiUser(browser, base, 'motcua'),
      lanhdao: await apiUser(browser, base, 'lanhdao.snv'),
      chuyenvien: await apiUser(browser, base, 'chuyenvien.snv'),
    };
    cast = c;
    for (let i = 0; i < 3; i++) dossiers.push(await returnedDossier(base, c));
    const r = (await c.congdan.get(`/api/v1/ratings/dossiers/${dossier(0).id}`)) as { returned: boolean; rating: unknown };
    assert(r.returned && !r.rating, 'the first dossier is returned and not rated yet');
  });

  await test('ratings: the citizen rates online from "Hồ sơ của tôi" at 360 px; the link is offered for another device', async () => {
    assert(dossiers.length === 3, 'returned dossiers from the previous test');
    const { context, page } = await newPage(browser, 360);
    try {
      await login(page, base, 'congdan');
      await page.waitForURL((u) => u.pathname === '/');
      await page.goto(`${base}/my-dossiers/${dossier(0).id}`);
      await page.locator('#dossier-rating').waitFor();
      await page.getByRole('heading', { name: 'Đánh giá mức độ hài lòng' }).waitFor();
      await axe(page, 'dossier page: rating form');
      await assertNoHorizontalScroll(page, 'dossier page: rating form');
      await shoot(page, 'rating-dossier-form-360');
      await rate(page, comments.online);
      await axe(page, 'dossier page: rated');
      await assertNoHorizontalScroll(page, 'dossier page: rated');
      await shoot(page, 'rating-dossier-done-360');
      // Rated once: after a reload the score stays, no form.
      await page.reload();
      await page.getByText('Cảm ơn Ông/Bà đã đánh giá').first().waitFor();
      assert((await page.locator('form.rating-form').count()) === 0, 'no second rating form after rating');
      // The second dossier's page offers the QR and the signed link for another device.
      await page.goto(`${base}/my-dossiers/${dossier(1).id}`);
      await page.locator('#dossier-rating').waitFor();
      await page.getByText('Đánh giá trên thiết bị khác (mã QR, đường dẫn)').click();
      const link = page.locator('main details a[href*="/danh-gia/"]');
      await link.waitFor();
      ratingUrl = (await link.getAttribute('href')) ?? '';
      assert(/\/danh-gia\/l\.[^/]+$/.test(ratingUrl), `a signed rating link, got "${ratingUrl}"`);
      const qr = await page.locator('main details img.rating-qr').evaluate(async (img: HTMLImageElement) => {
        if (!img.complete)
          await new Promise((r) => {
            img.addEventListener('load', r, { once: true });
            img.addEventListener('error', r, { once: true });
          });
        return img.naturalWidth > 0;
      });
      assert(qr, 'the QR of the link loads');
      assertNoPageErrors(page);
    } finally {
      await context.close();
    }
  });

  await test('ratings: whoever holds the signed link rates without signing in (360 px), once', async () => {
    assert(ratingUrl, 'the link from the previous test');
    const { context, page } = await newPage(browser, 360);
    try {
      await page.goto(`${base}${new URL(ratingUrl, base).pathname}`);
      await page.getByRole('heading', { name: 'Đánh giá mức độ hài lòng' }).waitFor();
      await page.getByText(dossier(1).code).first().waitFor();
      const before = await page.locator('main').innerText();
      assert(!before.includes('Nguyễn Văn An'), 'the link page does not name the applicant');
      await axe(page, 'rating link page');
      await assertNoHorizontalScroll(page, 'rating link page');
      await shoot(page, 'rating-link-360');
      await rate(page, comments.link, true);
      await axe(page, 'rating link page: rated');
      // The same link again: already rated.
      await page.reload();
      await page.getByText('Hồ sơ đã được đánh giá').first().waitFor();
      // An altered link explains itself.
      await page.goto(`${base}${new URL(ratingUrl, base).pathname}x`);
      await page.getByText('Đường dẫn đánh giá không hợp lệ').first().waitFor();
      await axe(page, 'rating link page: invalid');
      assertNoPageErrors(page);
    } finally {
      await context.close();
    }
  });

  await test('ratings: the counter kiosk finds the dossier by code and the last 4 digits, rates, offers the next one', async () => {
    assert(dossiers.length === 3, 'returned dossiers');
    const { context, page } = await newPage(browser, 360);
    try {
      await page.goto(`${base}/danh-gia/quay`);
      await page.getByRole('heading', { name: 'Đánh giá mức độ hài lòng tại quầy' }).waitFor();
      await axe(page, 'kiosk: lookup');
      await assertNoHorizontalScroll(page, 'kiosk: lookup');
      // Wrong format first: the field error.
      await page.getByLabel('Mã hồ sơ').fill(dossier(2).code);
      await page.getByLabel('4 số cuối số định danh hoặc số điện thoại').fill('12');
      await page.getByRole('button', { name: 'Tìm hồ sơ' }).click();
      await page.getByText('Nhập đúng 4 chữ số').first().waitFor();
      await page.getByLabel('4 số cuối số định danh hoặc số điện thoại').fill('1234');
      await page.getByRole('button', { name: 'Tìm hồ sơ' }).click();
      await page.locator('form.rating-form').waitFor();
      await page.getByText('Sở Nội vụ').first().waitFor();
      await axe(page, 'kiosk: rating form');
      await assertNoHorizontalScroll(page, 'kiosk: rating form');
      await shoot(page, 'rating-kiosk-360');
      await rate(page, comments.kiosk);
      await page.getByRole('button', { name: 'Đánh giá hồ sơ khác' }).click();
      await page.getByRole('button', { name: 'Tìm hồ sơ' }).waitFor();
      assert((await page.getByLabel('Mã hồ sơ').inputValue()) === '', 'the kiosk starts again with an empty form');
      assertNoPageErrors(page);
    } finally {
      await context.close();
    }
  });

  await test('ratings: the leader of Sở Nội vụ sees the ratings per agency and per officer, with comments, on /office/ratings', async () => {
    assert(cast, 'the API users');
    const c = cast as Cast;
    const { context, page } = await newPage(browser);
    try {
      await login(page, base, 'lanhdao.snv');
      await page.waitForURL((u) => u.pathname === '/office');
      await page.getByRole('link', { name: 'Đánh giá sự hài lòng' }).click();
      await page.waitForURL((u) => u.pathname === '/office/ratings');
      const table = page.locator('main table').first();
      await table.waitFor();
      const row = table.locator('tbody tr', { hasText: 'Sở Nội vụ' }).first();
      await row.waitFor();
      // Columns: agency, number of ratings, indicators…
      const count = Number((await row.locator('td').nth(1).innerText()).trim());
      assert(count >= 3, `Sở Nội vụ has at least the 3 ratings of this suite, got "${await row.innerText()}"`);
      await axe(page, 'office ratings: by agency');
      await row.getByRole('button', { name: 'Sở Nội vụ' }).click();
      // The section labelled by its heading #ratings-drill.
      const drill = page.locator('section[aria-labelledby="ratings-drill"]');
      await drill.waitFor();
      for (const d of dossiers) await drill.getByRole('link', { name: d.code }).waitFor();
      const text = await drill.innerText();
      for (const cm of Object.values(comments)) assert(text.includes(cm), `the comment "${cm}" is in the drill-down`);
      for (const ch of ['Trực tuyến (đã đăng nhập)', 'Đường dẫn/mã QR', 'Ki-ốt tại quầy'])
        assert(text.includes(ch), `the channel "${ch}" is in the drill-down`);
      await axe(page, 'office ratings: drill-down');
      await shoot(page, 'office-ratings-agency');
      // Per officer: the specialist who processed the dossiers.
      await page.getByRole('button', { name: 'Cán bộ', exact: true }).click();
      await page.locator('main table tbody tr', { hasText: c.chuyenvien.me.displayName }).first().waitFor();
      await axe(page, 'office ratings: by officer');
      await shoot(page, 'office-ratings-officer');
      assertNoPageErrors(page);
    } finally {
      await context.close();
    }
    // Citizens and other staff may not read the figures.
    const vn = new Date(Date.now() + 7 * 3600_000);
    const period = `${vn.getUTCFullYear()}-Q${Math.floor(vn.getUTCMonth() / 3) + 1}`;
    const denied = await c.congdan.request.get(`${base}/api/v1/ratings/summary?period=${period}&by=agency`);
    assert(denied.status() === 403, `a citizen reading the summary: ${denied.status()}`);
  });

  await test('ratings: the public ranking /xep-hang lists the agency without officers, comments or applicants (360 px)', async () => {
    assert(cast, 'the API users');
    const c = cast as Cast;
    const { context, page } = await newPage(browser, 360);
    try {
      await page.goto(`${base}/`);
      await page.getByRole('link', { name: 'Xếp hạng mức độ hài lòng của các cơ quan' }).first().click();
      await page.waitForURL((u) => u.pathname === '/xep-hang');
      await page.getByRole('heading', { name: 'Xếp hạng mức độ hài lòng' }).waitFor();
      await settled(page);
      await page.locator('main').getByText('Sở Nội vụ').first().waitFor();
      const main = await page.locator('main').innerText();
      for (const name of [c.chuyenvien.me.displayName, c.lanhdao.me.displayName, c.motcua.me.displayName, c.congdan.me.displayName])
        assert(!main.includes(name), `the public ranking does not name "${name}"`);
      for (const cm of Object.values(comments)) assert(!main.includes(cm), 'no comment on the public ranking');
      for (const d of dossiers) assert(!main.includes(d.code), 'no dossier code on the public ranking');
      await axe(page, 'public ranking');
      await assertNoHorizontalScroll(page, 'public ranking');
      await shoot(page, 'ranking-360');
      assertNoPageErrors(page);
    } finally {
      await context.close();
      if (cast) for (const u of Object.values(cast as Cast)) await u.context.close();
    }
  });
}
