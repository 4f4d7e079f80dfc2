/**
 * Browser suite for field reports (phản ánh hiện trường): a citizen on a 360 px phone reports with a photo and a
 * pin while offline; the report waits on the phone and is sent once when the connection returns; it reaches the
 * ward of Buôn Ma Thuột; a second citizen nearby is offered to follow it instead of reporting it again; the ward's
 * desk handles it in the office pages; the citizen rates the result. Also the public board and its map.
 */

import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { assert, assertNoHorizontalScroll, assertNoPageErrors, axe, h1, login, newPage, settled, shoot, test } from './lib';

/** Inside Phường Buôn Ma Thuột (24133), the ward with a demo People's Committee. */
const BMT = { latitude: 12.6667, longitude: 108.0378 };

async function photoFile(): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const buffer = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: '#5a7d4f' } })
    .jpeg({ quality: 85 })
    .toBuffer();
  return { name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer };
}

/** Fills the report form up to the submit button: category, description, one photo, the GPS pin. */
async function fillReport(page: Page, description: string): Promise<void> {
  await page.getByLabel('Lĩnh vực').selectOption({ label: 'Môi trường, vệ sinh' });
  await page.getByLabel('Nội dung phản ánh').fill(description);
  await page.getByLabel('Chọn ảnh từ máy').setInputFiles(await photoFile());
  await page.getByRole('img', { name: 'Ảnh 1' }).waitFor();
  await page.getByRole('button', { name: 'Dùng vị trí hiện tại' }).click();
  await page.getByTestId('chosen-location').filter({ hasText: '12.66670' }).waitFor();
  await page.getByTestId('map-pin').waitFor();
}

async function api<T>(page: Page, base: string, path: string): Promise<T> {
  const res = await page.request.get(`${base}${path}`);
  assert(res.ok(), `GET ${path}: ${res.status()}`);
  return (await res.json()) as T;
}

/** Opens an action of the office panel, fills it, submits, and waits for the success notice. */
async function officeAction(page: Page, action: string, submit: string, fill?: () => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: action, exact: true }).click();
  await fill?.();
  await page.getByRole('button', { name: submit }).click();
  // The form closes once the server has answered (the success notice of an earlier action may still show).
  await page.getByRole('button', { name: submit }).waitFor({ state: 'detached', timeout: 30_000 });
  await settled(page);
}

export async function feedbackSuite(browser: Browser, base: string): Promise<void> {
  let reportId = '';

  await test('field report: a citizen at 360 px reports with a photo and a GPS pin while offline; it is sent once back online and reaches the ward', async () => {
    const { context, page } = await newPage(browser, 360);
    await context.grantPermissions(['geolocation'], { origin: base });
    await context.setGeolocation({ ...BMT, accuracy: 8 });
    await login(page, base, 'congdan');
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto(`${base}/phan-anh/gui`);
    assert((await h1(page)) === 'Gửi phản ánh hiện trường', 'the report form');
    await fillReport(page, 'Rác thải sinh hoạt đổ thành đống trên vỉa hè, bốc mùi (thử nghiệm trình duyệt).');
    await assertNoHorizontalScroll(page, 'report form');
    await axe(page, 'report form');
    await shoot(page, 'field-report-form-360');

    await context.setOffline(true);
    await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
    await page.getByText('Đang chờ gửi (ngoại tuyến)').first().waitFor();
    await page.getByText('Bạn đang ngoại tuyến.').first().waitFor();
    await context.setOffline(false);
    await page.getByText('Đã gửi phản ánh đang chờ:').first().waitFor({ timeout: 30_000 });

    const mine = await api<{ items: { id: string; description: string; communeCode: string; agencyName: string; photoIds: string[] }[] }>(
      page,
      base,
      '/api/v1/field-reports/mine',
    );
    const sent = mine.items.filter((r) => r.description.includes('thử nghiệm trình duyệt'));
    assert(sent.length === 1, `exactly one report created (no duplicate after the resend), got ${sent.length}`);
    const r = sent[0] as (typeof sent)[number];
    assert(r.communeCode === '24133', `routed by the boundary to Buôn Ma Thuột, got commune ${r.communeCode}`);
    assert(/Buôn Ma Thuột/.test(r.agencyName), `handled by the ward's People's Committee, got ${r.agencyName}`);
    assert(r.photoIds.length === 1, 'the photo came along');
    reportId = r.id;
    assertNoPageErrors(page);
    await context.close();
  });

  await test('field report: the ward desk moderates and accepts it in the office; a neighbour is offered to follow it instead of reporting it again', async () => {
    assert(reportId, 'needs the report of the previous test');
    const { context, page } = await newPage(browser);
    await login(page, base, 'motcua.bmt');
    await page.waitForURL((u) => u.pathname === '/office');
    await page.goto(`${base}/office/phan-anh`);
    await h1(page);
    await settled(page);
    assert(await page.locator(`a[href="/office/phan-anh/${reportId}"]`).count(), 'the report is in the ward queue');
    await axe(page, 'office field-report queue');
    await page.goto(`${base}/office/phan-anh/${reportId}`);
    await h1(page);
    await officeAction(page, 'Biên tập', 'Lưu và công khai');
    await officeAction(page, 'Tiếp nhận', 'Xác nhận tiếp nhận');
    await axe(page, 'office field-report detail');
    await context.close();

    const n = await newPage(browser, 360);
    await n.context.grantPermissions(['geolocation'], { origin: base });
    await n.context.setGeolocation({ latitude: BMT.latitude + 0.0002, longitude: BMT.longitude + 0.0002, accuracy: 8 });
    await login(n.page, base, 'congdan2');
    await n.page.waitForURL((u) => u.pathname === '/');
    await n.page.goto(`${base}/phan-anh/gui`);
    await n.page.getByLabel('Lĩnh vực').selectOption({ label: 'Môi trường, vệ sinh' });
    await n.page.getByRole('button', { name: 'Dùng vị trí hiện tại' }).click();
    const nearby = n.page.getByTestId('nearby');
    await nearby.getByText(/phản ánh tương tự trong bán kính 100 m/).waitFor();
    await nearby.getByRole('button', { name: 'Theo dõi phản ánh này' }).first().click();
    // The page says so once the server has answered (networkidle, already reached, would not wait for the POST).
    await nearby.getByText('Bạn đang theo dõi phản ánh này').waitFor();
    const followed = await api<{ following: { id: string }[] }>(n.page, base, '/api/v1/field-reports/mine');
    assert(
      followed.following.some((f) => f.id === reportId),
      'the neighbour now follows the existing report',
    );
    assertNoPageErrors(n.page);
    await n.context.close();
  });

  await test('field report: the desk resolves it; the citizen sees the result and rates it; the board shows it', async () => {
    assert(reportId, 'needs the report of the first test');
    const { context, page } = await newPage(browser);
    await login(page, base, 'motcua.bmt');
    await page.waitForURL((u) => u.pathname === '/office');
    await page.goto(`${base}/office/phan-anh/${reportId}`);
    await h1(page);
    await officeAction(page, 'Bắt đầu xử lý', 'Xác nhận bắt đầu');
    await officeAction(page, 'Đăng kết quả xử lý', 'Gửi kết quả', async () => {
      await page.getByRole('textbox', { name: /^Kết quả xử lý/ }).fill('Đã thu gom toàn bộ rác, nhắc nhở các hộ xung quanh.');
      await page.getByLabel('Ảnh sau xử lý').setInputFiles(await photoFile());
    });
    await context.close();

    const c = await newPage(browser, 360);
    await login(c.page, base, 'congdan');
    await c.page.waitForURL((u) => u.pathname === '/');
    await c.page.goto(`${base}/phan-anh/${reportId}`);
    await h1(c.page);
    await c.page.getByText('Đã thu gom toàn bộ rác').first().waitFor();
    await assertNoHorizontalScroll(c.page, 'field-report detail');
    await axe(c.page, 'field-report detail (reporter)');
    await c.page.getByRole('button', { name: 'Hài lòng', exact: true }).click();
    await c.page.getByText('Đã đánh giá').first().waitFor();
    const state = await api<{ state: string; satisfied: boolean }>(c.page, base, `/api/v1/field-reports/${reportId}`);
    assert(state.state === 'rated' && state.satisfied === true, `rated satisfied, got ${JSON.stringify(state)}`);
    await shoot(c.page, 'field-report-detail-360');

    await c.page.goto(`${base}/phan-anh`);
    await h1(c.page);
    await settled(c.page);
    await c.page.getByTestId('board-map').waitFor();
    assert(await c.page.locator(`a[href="/phan-anh/${reportId}"]`).count(), 'the report is on the public board');
    await assertNoHorizontalScroll(c.page, 'field-report board');
    await axe(c.page, 'field-report board');
    await shoot(c.page, 'field-report-board-360');
    assertNoPageErrors(c.page);
    await c.context.close();
  });
}
