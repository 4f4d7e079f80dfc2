/**
 * Browser tests of petitions on administrative regulations (PAKN, docs/petitions.md): a citizen at 360 px sends a
 * petition to the ward of Buôn Ma Thuột at /kien-nghi/gui and finds it under "Kiến nghị của tôi" with its register
 * number; the ward's one-stop officer (motcua.bmt) finds it in the queue, classifies it "in competence" and
 * publishes the answer at /office/kien-nghi/:id; the answer is on the public list /kien-nghi without the
 * petitioner's name or phone; the citizen sees the answer and the timeline. axe-clean throughout.
 */
import type { Browser } from 'playwright-core';
import { assert, assertNoHorizontalScroll, assertNoPageErrors, axe, login, newPage, settled, shoot, test } from './lib';

const WARD = 'Ủy ban nhân dân phường Buôn Ma Thuột';

export async function petitionsSuite(browser: Browser, base: string): Promise<void> {
  const stamp = Date.now().toString(36);
  const regulation = `Quyết định 25/2024/QĐ-UBND, Điều 7 (e2e ${stamp})`;
  const phone = '0905 111 222';
  const answer = `Ủy ban nhân dân phường đã kiến nghị sửa đổi Điều 7 cho phù hợp (e2e ${stamp}).`;
  let petitionId = '';
  let registerNumber = '';
  let petitionerName = '';

  await test('petitions: a citizen at 360 px sends a petition and finds it under "Kiến nghị của tôi" with its register number', async () => {
    const { context, page } = await newPage(browser, 360);
    try {
      await login(page, base, 'congdan');
      await page.waitForURL((u) => u.pathname === '/');
      petitionerName = ((await (await page.request.get(`${base}/api/v1/auth/me`)).json()) as { displayName: string }).displayName;
      assert(petitionerName, 'the citizen has a name');
      await page.goto(`${base}/kien-nghi/gui`);
      await page.getByRole('heading', { name: 'Gửi phản ánh, kiến nghị', level: 1 }).waitFor();
      await settled(page);
      // Nothing filled in: the error summary.
      await page.locator('main form').getByRole('button', { name: 'Gửi phản ánh, kiến nghị' }).click();
      await page.locator('.error-summary').waitFor();
      assert(
        (await page.locator('.error-summary').innerText()).includes('Chọn cơ quan tiếp nhận'),
        'the error summary names the missing agency',
      );
      await axe(page, 'petition form: errors');
      await page.getByRole('combobox', { name: /^Cơ quan tiếp nhận/ }).selectOption({ label: WARD });
      await page.getByRole('combobox', { name: /^Nội dung phản ánh/ }).selectOption({ index: 1 });
      await page.getByLabel('Quy định hành chính được phản ánh').fill(regulation);
      // The content names the petitioner and his phone: the public summary must not.
      await page
        .getByRole('textbox', { name: /^Nội dung/ })
        .fill(
          `Tôi là ${petitionerName}, số điện thoại ${phone}. Điều 7 yêu cầu nộp bản sao có chứng thực giấy tờ đã có trong Cơ sở dữ liệu quốc gia về dân cư, gây tốn kém cho người dân.`,
        );
      await page.getByLabel('Phương án xử lý, kiến nghị').fill('Bỏ yêu cầu bản sao có chứng thực, khai thác dữ liệu dân cư.');
      await page.getByLabel('Số điện thoại').fill(phone);
      await assertNoHorizontalScroll(page, 'petition form');
      await shoot(page, 'petition-form-360');
      await page.locator('main form').getByRole('button', { name: 'Gửi phản ánh, kiến nghị' }).click();
      await page.waitForURL((u) => /^\/kien-nghi\/[0-9a-f-]{36}$/.test(u.pathname));
      petitionId = new URL(page.url()).pathname.split('/').pop() ?? '';
      const notice = page.getByText(/^Đã vào sổ theo dõi số \d+\/\d{4} tại /).first();
      await notice.waitFor();
      registerNumber = /số (\d+\/\d{4})/.exec(await notice.innerText())?.[1] ?? '';
      assert(registerNumber, 'a register number');
      await page.getByText('Đã tiếp nhận, vào sổ').first().waitFor();
      await axe(page, 'petition: submitted');
      await assertNoHorizontalScroll(page, 'petition: submitted');
      // "Kiến nghị của tôi" lists it with the number.
      await page.goto(`${base}/kien-nghi/cua-toi`);
      const card = page.locator('.pk-card', { hasText: regulation });
      await card.waitFor();
      assert((await card.innerText()).includes(`Số vào sổ: ${registerNumber}`), `the card shows "Số vào sổ: ${registerNumber}"`);
      await axe(page, 'my petitions');
      await assertNoHorizontalScroll(page, 'my petitions');
      await shoot(page, 'petitions-mine-360');
      assertNoPageErrors(page);
    } finally {
      await context.close();
    }
  });

  await test('petitions: the ward one-stop officer classifies it in competence and publishes the answer', async () => {
    assert(petitionId, 'a petition from the previous test');
    const { context, page } = await newPage(browser);
    try {
      await login(page, base, 'motcua.bmt');
      await page.waitForURL((u) => u.pathname === '/office');
      await page.getByRole('link', { name: 'Phản ánh, kiến nghị về quy định hành chính' }).first().click();
      await page.waitForURL((u) => u.pathname === '/office/kien-nghi');
      const row = page.locator('main table tbody tr', { hasText: regulation });
      await row.waitFor();
      assert((await row.innerText()).includes(registerNumber), 'the queue shows the register number');
      await axe(page, 'petitions queue');
      await row.getByRole('link', { name: regulation }).click();
      await page.waitForURL((u) => u.pathname === `/office/kien-nghi/${petitionId}`);
      await page.locator('main h1', { hasText: registerNumber }).waitFor();
      // The office sees the petitioner's contact and the forwarding deadline.
      const main = await page.locator('main').innerText();
      assert(main.includes(phone), 'the officer sees the phone');
      assert(main.includes('Hạn phân loại, chuyển cơ quan có thẩm quyền'), 'the forwarding deadline is shown');
      await axe(page, 'office petition: received');
      await shoot(page, 'office-petition-received');
      const action = (name: string) => page.locator('details.pk-action', { has: page.locator('summary', { hasText: name }) });
      const classify = action('Phân loại');
      await classify.locator('summary').click();
      await classify.getByRole('combobox', { name: /^Kết quả phân loại/ }).selectOption('in_competence');
      await classify.locator('button[type=submit]').click();
      await page.getByText('Đã phân loại', { exact: true }).first().waitFor();
      await page.getByText('Thuộc thẩm quyền, chờ xử lý').first().waitFor();
      const publish = action('Công bố kết quả xử lý');
      await publish.locator('summary').click();
      const summary = await publish.getByRole('textbox', { name: /^Tóm tắt công khai/ }).inputValue();
      assert(!summary.includes(petitionerName), `the suggested public summary leaves out the name: "${summary}"`);
      assert(
        !summary.replace(/\s/g, '').includes(phone.replace(/\s/g, '')),
        `the suggested public summary leaves out the phone: "${summary}"`,
      );
      await publish.getByRole('textbox', { name: /^Kết quả xử lý/ }).fill(answer);
      await axe(page, 'office petition: answer form');
      await publish.locator('button[type=submit]').click();
      await page.getByText('Đã công bố kết quả xử lý', { exact: true }).first().waitFor();
      await page.getByText('Đã công bố kết quả', { exact: true }).first().waitFor();
      await axe(page, 'office petition: answered');
      await shoot(page, 'office-petition-answered');
      assertNoPageErrors(page);
    } finally {
      await context.close();
    }
  });

  await test('petitions: the answer is on the public list /kien-nghi without the petitioner; the citizen sees it with the timeline', async () => {
    assert(petitionId && petitionerName, 'an answered petition from the previous tests');
    const anon = await newPage(browser, 360);
    try {
      const page = anon.page;
      await page.goto(`${base}/kien-nghi`);
      await page.getByRole('heading', { name: 'Phản ánh, kiến nghị về quy định hành chính', level: 1 }).waitFor();
      const card = page.locator('.pk-card', { hasText: regulation });
      await card.waitFor();
      const text = await card.innerText();
      assert(text.includes(answer), 'the public card shows the answer');
      const main = await page.locator('main').innerText();
      assert(!main.includes(petitionerName), 'the public list does not name the petitioner');
      assert(!main.replace(/\s/g, '').includes(phone.replace(/\s/g, '')), 'the public list does not show the phone');
      await axe(page, 'public petitions');
      await assertNoHorizontalScroll(page, 'public petitions');
      await shoot(page, 'petitions-public-360');
      // Accent-insensitive search finds it.
      await page.getByLabel('Từ khóa (quy định, nội dung, kết quả)').fill(`kien nghi sua doi dieu 7 cho phu hop (e2e ${stamp})`);
      await page.locator('main').getByRole('button', { name: 'Tìm kiếm', exact: true }).click();
      await page.locator('.pk-card', { hasText: regulation }).waitFor();
      // The public detail page.
      await page.locator('.pk-card', { hasText: regulation }).getByRole('link', { name: regulation }).click();
      await page.waitForURL((u) => u.pathname === `/kien-nghi/${petitionId}`);
      await page.getByText(answer).first().waitFor();
      const detail = await page.locator('main').innerText();
      assert(!detail.includes(petitionerName), 'the public detail does not name the petitioner');
      assert(!detail.replace(/\s/g, '').includes(phone.replace(/\s/g, '')), 'the public detail does not show the phone');
      await axe(page, 'public petition');
      await assertNoHorizontalScroll(page, 'public petition');
      assertNoPageErrors(page);
    } finally {
      await anon.context.close();
    }
    const own = await newPage(browser, 360);
    try {
      const page = own.page;
      await login(page, base, 'congdan');
      await page.waitForURL((u) => u.pathname === '/');
      await page.goto(`${base}/kien-nghi/cua-toi`);
      const card = page.locator('.pk-card', { hasText: regulation });
      await card.getByText('Đã công bố kết quả').waitFor();
      await card.getByRole('link', { name: regulation }).click();
      await page.waitForURL((u) => u.pathname === `/kien-nghi/${petitionId}`);
      await page.getByText(answer).first().waitFor();
      await page.getByRole('heading', { name: 'Quá trình xử lý' }).waitFor();
      assert((await page.locator('.pk-timeline li').count()) >= 3, 'the timeline has reception, classification and answer');
      await axe(page, 'my petition: answered');
      await assertNoHorizontalScroll(page, 'my petition: answered');
      await shoot(page, 'petition-mine-answered-360');
      assertNoPageErrors(page);
    } finally {
      await own.context.close();
    }
  });
}
