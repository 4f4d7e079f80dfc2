/**
 * Pure rules of the catalogue: national codes, working time, search folding, input validation with
 * field paths, and the demo data built from procedures.json.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogFold, codePrefix, hoursFromDays, procedureCodeError } from './catalog.codes';
import { csvRowToInput, parseCatalogCsv, toCsv } from './catalog.import';
import { demoCatalogInputs, heldDocumentType, readProcedureData } from './catalog.seed';
import { checkProcedureInput, feeTotal } from './catalog.validate';

const agency = { id: '11111111-1111-4111-8111-111111111111' };
const minimal = (over: Record<string, unknown> = {}) => ({
  code: '1.001193.000.00.00.H66',
  name: 'Thủ tục đăng ký khai sinh',
  field: 'Hộ tịch',
  level: 'commune',
  onlineLevel: 'toan_trinh',
  agencies: [agency],
  ...over,
});
const errorsOf = (input: unknown) => checkProcedureInput(input, 'body').errors;
const fields = (input: unknown) => errorsOf(input).map((e) => e.field);

describe('national procedure codes', () => {
  it('accepts {1|2|3}.{6 digits}.000.00.00.{level-1 agency code}', () => {
    for (const c of ['1.001193.000.00.00.H66', '2.000815.000.00.00.H55', '3.000181.000.00.00.H22'])
      expect(procedureCodeError(c)).toBeNull();
  });

  it('explains in Vietnamese what is wrong', () => {
    expect(procedureCodeError('1.001193')).toMatch(/Thiếu phần mã cơ quan.*1\.001193\.000\.00\.00\.H66/);
    expect(procedureCodeError('4.001193.000.00.00.H66')).toMatch(/bắt đầu bằng 1\., 2\. hoặc 3\./);
    expect(procedureCodeError('1.00119.000.00.00.H66')).toMatch(/6 chữ số/);
    expect(procedureCodeError('1.001193.001.00.00.H66')).toMatch(/\.000\.00\.00\./);
    expect(procedureCodeError('1.001193.000.00.00.Z66')).toMatch(/mã cơ quan cấp 1/);
    expect(procedureCodeError('1.001193.000.00.00.h66')).not.toBeNull();
  });

  it('recognises a code being typed in the search box', () => {
    expect(codePrefix(' 1.001193 ')).toBe('1.001193');
    expect(codePrefix('1.0011')).toBe('1.0011');
    expect(codePrefix('1.001193.000.00.00.h66')).toBe('1.001193.000.00.00.H66');
    expect(codePrefix('khai sinh')).toBeNull();
    expect(codePrefix('2025')).toBeNull();
  });
});

describe('working time', () => {
  it('1 working day = 8 working hours; fractions must make whole hours', () => {
    expect(hoursFromDays(1)).toBe(8);
    expect(hoursFromDays(0.5)).toBe(4);
    expect(hoursFromDays(60)).toBe(480);
    expect(hoursFromDays(null)).toBeNull();
    expect(hoursFromDays(0.3)).toBeUndefined();
  });
});

describe('search folding', () => {
  it('drops tone marks and đ, lowers case, turns punctuation into spaces', () => {
    expect(catalogFold('Thủ tục ĐĂNG KÝ khai sinh')).toBe('thu tuc dang ki khai sinh');
    expect(catalogFold('thay đổi, cải chính')).toBe('thay doi cai chinh');
    expect(catalogFold('%_')).toBe('');
  });

  it('folds the i/y spellings at word end to the same text (ký = kí, lý = lí, quy = qui)', () => {
    expect(catalogFold('đăng ki kết hôn')).toBe(catalogFold('đăng ký kết hôn'));
    expect(catalogFold('lí lịch tư pháp')).toBe(catalogFold('lý lịch tư pháp'));
    expect(catalogFold('quý')).toBe(catalogFold('quí'));
    // Only after a consonant at word end: ay/ai and uy/ui are different vowels; "yêu" keeps its y.
    expect(catalogFold('thay đổi')).toBe('thay doi');
    expect(catalogFold('mang thai')).not.toBe(catalogFold('mang thay'));
    expect(catalogFold('thủy lợi')).toBe('thuy loi');
    expect(catalogFold('yếu tố')).toBe('yeu to');
  });

  it('is idempotent and never keeps characters outside a-z, 0-9 and single spaces', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const f = catalogFold(s);
        expect(catalogFold(f)).toBe(f);
        expect(f).toMatch(/^([a-z0-9]+( [a-z0-9]+)*)?$/);
      }),
    );
  });
});

describe('procedure input validation', () => {
  it('accepts a minimal procedure and fills the defaults', () => {
    const { value, errors } = checkProcedureInput(minimal());
    expect(errors).toEqual([]);
    expect(value?.code).toBe('1.001193.000.00.00.H66');
    expect(value?.content).toMatchObject({
      processingHours: null,
      fees: [],
      components: [],
      legalBasis: [],
      resultDelivery: ['online', 'counter', 'post'],
    });
    expect(value?.content.form.fields.map((f) => f.key)).toContain('so_dinh_danh');
  });

  it('reports shape errors with their paths', () => {
    const errs = errorsOf(minimal({ level: 'district', components: [{ original: true }], fees: [{ name: 'Lệ phí', amountVnd: -5 }] }));
    expect(errs).toEqual(
      expect.arrayContaining([
        { field: 'body/level', message: 'Giá trị không nằm trong danh sách cho phép' },
        { field: 'body/components/0/name', message: 'Trường này là bắt buộc' },
        { field: 'body/fees/0/amountVnd', message: 'Giá trị phải ≥ 0' },
      ]),
    );
    expect(fields({ name: 'x' })).toEqual(expect.arrayContaining(['body/code', 'body/field', 'body/level', 'body/agencies']));
  });

  it('checks the code, the names and the legal basis', () => {
    expect(errorsOf(minimal({ code: '1.001193' }))).toEqual([
      { field: 'body/code', message: expect.stringMatching(/Thiếu phần mã cơ quan/) },
    ]);
    expect(fields(minimal({ name: '   ', legalBasis: ['Luật Hộ tịch', ' ', 'NĐ 1; NĐ 2'] }))).toEqual([
      'body/name',
      'body/legalBasis/1',
      'body/legalBasis/2',
    ]);
  });

  it('takes the time in days or hours, and both only when they agree', () => {
    expect(checkProcedureInput(minimal({ processingDays: 3 })).value?.content.processingHours).toBe(24);
    expect(checkProcedureInput(minimal({ processingHours: 4 })).value?.content.processingHours).toBe(4);
    expect(checkProcedureInput(minimal({ processingDays: 0.5, processingHours: 4 })).value?.content.processingHours).toBe(4);
    expect(fields(minimal({ processingDays: 1, processingHours: 4 }))).toEqual(['body/processingDays']);
    expect(fields(minimal({ processingDays: 0.3 }))).toEqual(['body/processingDays']);
    expect(fields(minimal({ processingDays: 0 }))).toEqual(['body/processingDays']);
  });

  it('fees are whole VND ≥ 0 or null (unknown); the list amount: all free → 0, one line → its amount, several lines → null (they are often alternatives)', () => {
    expect(fields(minimal({ fees: [{ name: 'Lệ phí', amountVnd: 1.5 }] }))).toEqual(['body/fees/0/amountVnd']);
    expect(
      feeTotal([
        { name: 'a', amountVnd: 0, note: null },
        { name: 'b', amountVnd: 8000, note: null },
      ]),
    ).toBeNull();
    expect(feeTotal([{ name: 'a', amountVnd: 8000, note: null }])).toBe(8000);
    expect(
      feeTotal([
        { name: 'a', amountVnd: 0, note: null },
        { name: 'b', amountVnd: 0, note: null },
      ]),
    ).toBe(0);
    expect(
      feeTotal([
        { name: 'a', amountVnd: null, note: null },
        { name: 'b', amountVnd: 8000, note: null },
      ]),
    ).toBeNull();
    expect(feeTotal([])).toBeNull();
  });

  it('components: unique keys, generated where missing, defaults', () => {
    const ok = checkProcedureInput(
      minimal({ components: [{ name: 'Tờ khai' }, { key: 'tp1', name: 'Giấy chứng sinh' }, { name: 'Ủy quyền' }] }),
    );
    expect(ok.value?.content.components.map((c) => c.key)).toEqual(['tp2', 'tp1', 'tp3']);
    expect(ok.value?.content.components[0]).toEqual({
      key: 'tp2',
      name: 'Tờ khai',
      original: null,
      copies: null,
      required: true,
      condition: null,
      templateFileId: null,
      fromEdataStore: false,
      documentType: null,
    });
    const dup = errorsOf(minimal({ components: [{ key: 'to_khai', name: 'A' }, { key: 'to_khai', name: 'B' }, { name: ' ' }] }));
    expect(dup).toEqual([
      { field: 'body/components/1/key', message: 'Mã thành phần "to_khai" trùng với thành phần số 1' },
      { field: 'body/components/2/name', message: 'Không được để trống' },
    ]);
  });

  it('form: unique keys, options for selects only, sane ranges, valid patterns, known conditions', () => {
    const form = {
      fields: [
        { key: 'ho_ten', label: 'Họ tên', type: 'text', required: true, minLength: 5, maxLength: 2 },
        { key: 'ho_ten', label: 'Trùng', type: 'text' },
        { key: 'gioi_tinh', label: 'Giới tính', type: 'select', required: true },
        { key: 'so_tang', label: 'Số tầng', type: 'number', min: 5, max: 1, options: [{ value: 'a', label: 'A' }] },
        { key: 'ma', label: 'Mã', type: 'text', pattern: '([a-z' },
        { key: 'ngay', label: 'Ngày', type: 'date', min: 1 },
        { key: 'ly_do', label: 'Lý do', type: 'textarea', requiredIf: { field: 'khong_co', equals: 'x' } },
        {
          key: 'loai',
          label: 'Loại',
          type: 'select',
          options: [
            { value: 'a', label: 'A' },
            { value: 'a', label: 'B' },
          ],
        },
        { key: 'ghi_chu', label: 'Ghi chú', type: 'text', requiredIf: { field: 'loai', equals: 'z' } },
      ],
    };
    expect(errorsOf(minimal({ form }))).toEqual([
      { field: 'body/form/fields/0/maxLength', message: 'maxLength phải ≥ minLength' },
      { field: 'body/form/fields/1/key', message: 'Mã trường "ho_ten" trùng với trường số 1' },
      { field: 'body/form/fields/2/options', message: 'Trường chọn (select) cần ít nhất một lựa chọn' },
      { field: 'body/form/fields/3/options', message: 'Chỉ trường chọn (select) mới có danh sách lựa chọn' },
      { field: 'body/form/fields/3/max', message: 'max phải ≥ min' },
      { field: 'body/form/fields/4/pattern', message: 'Biểu thức chính quy không hợp lệ' },
      { field: 'body/form/fields/5/min', message: 'Giới hạn giá trị (min, max) chỉ dùng cho trường số' },
      { field: 'body/form/fields/7/options/1/value', message: 'Giá trị "a" bị trùng' },
      { field: 'body/form/fields/6/requiredIf/field', message: 'Không có trường "khong_co" khác trong biểu mẫu' },
      { field: 'body/form/fields/8/requiredIf/equals', message: '"z" không phải một lựa chọn của trường "loai"' },
    ]);
  });

  it('full online service must return results online or by post (NĐ 42/2022)', () => {
    expect(fields(minimal({ resultDelivery: ['counter'] }))).toEqual(['body/resultDelivery']);
    expect(fields(minimal({ onlineLevel: 'mot_phan', resultDelivery: ['counter'] }))).toEqual([]);
  });

  it('agencies: by id or code, no repeats', () => {
    expect(fields(minimal({ agencies: [] }))).toEqual(['body/agencies']);
    expect(fields(minimal({ agencies: [{ name: 'UBND' }] }))).toEqual(['body/agencies/0']);
    expect(fields(minimal({ agencies: [agency, { id: agency.id.toUpperCase() }] }))).toEqual(['body/agencies/1']);
    expect(checkProcedureInput(minimal({ agencies: [{ code: 'h66.201' }] })).value?.agencies).toEqual([{ code: 'H66.201' }]);
  });

  it('import items report paths relative to the item', () => {
    expect(checkProcedureInput(minimal({ components: [{}] }), '').errors).toEqual([
      { field: 'components/0/name', message: 'Trường này là bắt buộc' },
    ]);
  });

  it('normalises text to NFC, so composed and decomposed Vietnamese are the same content', () => {
    const a = checkProcedureInput(minimal({ name: 'Đăng ký kết hôn'.normalize('NFD') })).value;
    const b = checkProcedureInput(minimal({ name: '  Đăng ký   kết hôn ' })).value;
    expect(a?.content.name).toBe('Đăng ký kết hôn');
    expect(b?.content.name).toBe('Đăng ký kết hôn');
  });
});

describe('CSV', () => {
  it('reads what it writes', () => {
    const value = checkProcedureInput(
      minimal({
        processingDays: 1,
        fees: [{ name: 'Lệ phí', amountVnd: 8000 }],
        legalBasis: ['Luật Hộ tịch 60/2014/QH13', 'Nghị định 123/2015/NĐ-CP'],
      }),
    ).value;
    if (!value) throw new Error('invalid');
    const csv = toCsv([{ code: value.code, content: value.content, agencyCodes: ['H66.201', 'H66.202'] }]);
    const [row] = parseCatalogCsv(csv);
    expect(row?.values).toMatchObject({
      code: value.code,
      processing_days: '1',
      processing_hours: '8',
      fee_vnd: '8000',
      agencies: 'H66.201;H66.202',
    });
    const { input } = csvRowToInput(row as NonNullable<typeof row>, { content: value.content, agencyIds: [agency.id] });
    const again = checkProcedureInput(input, '').value;
    expect(again?.content).toEqual(value.content);
    expect(again?.agencies).toEqual([{ code: 'H66.201' }, { code: 'H66.202' }]);
  });

  it('a changed fee_vnd replaces the fee details; bad numbers point at their column', () => {
    const csv =
      'code,name,field,level,online_level,fee_vnd,processing_days\n1.001193.000.00.00.H66,Tên,Hộ tịch,commune,mot_phan,10.000,x\n';
    const [row] = parseCatalogCsv(csv);
    expect(csvRowToInput(row as NonNullable<typeof row>, undefined).errors).toEqual([{ field: 'processing_days', message: 'Cần một số' }]);
    const fixed = parseCatalogCsv(csv.replace(',x\n', ',2\n'))[0];
    const { input } = csvRowToInput(fixed as NonNullable<typeof fixed>, undefined);
    expect(input).toMatchObject({ fees: [{ name: 'Phí, lệ phí', amountVnd: 10000 }], processingDays: 2, agencies: [] });
  });

  it('refuses a file without the required columns', () => {
    expect(() => parseCatalogCsv('code,name\n1,2\n')).toThrow(/thiếu cột|Thiếu/i);
  });
});

describe('demo catalogue from procedures.json', () => {
  const inputs = demoCatalogInputs();

  it('takes every procedure that has a national code (≥ 40, ≥ 8 fields), all valid', () => {
    const withCode = readProcedureData().filter((p) => p.code);
    expect(inputs).toHaveLength(withCode.length);
    expect(inputs.length).toBeGreaterThanOrEqual(40);
    expect(new Set(inputs.map((i) => i.field)).size).toBeGreaterThanOrEqual(8);
    for (const input of inputs) expect(checkProcedureInput(input, input.code).errors).toEqual([]);
  });

  it('maps days to hours, keeps unknown times and fees unknown', () => {
    const birth = inputs.find((i) => i.code === '1.001193.000.00.00.H66');
    const value = checkProcedureInput(birth).value;
    expect(value?.content.processingHours).toBe(8);
    expect(value?.content.fees.map((f) => f.amountVnd)).toEqual([0, 8000, 8000]);
    const copy = checkProcedureInput(inputs.find((i) => i.code.startsWith('2.000635.'))).value;
    expect(copy?.content.processingHours).toBeNull();
    const foreign = checkProcedureInput(inputs.find((i) => i.code.startsWith('2.000528.'))).value;
    expect(foreign?.content.fees[0]?.amountVnd).toBeNull();
  });

  it('gives the top procedures their own form fields and the rest a generic one', () => {
    const keys = (bare: string) =>
      checkProcedureInput(inputs.find((i) => i.code.startsWith(`${bare}.`))).value?.content.form.fields.map((f) => f.key) ?? [];
    expect(keys('1.001193')).toEqual(
      expect.arrayContaining(['ho_ten', 'so_dinh_danh', 'dia_chi_don_vi', 'ho_ten_nguoi_duoc_khai_sinh', 'gioi_tinh']),
    );
    expect(keys('1.000894')).toEqual(expect.arrayContaining(['so_dinh_danh_ben_kia', 'tinh_trang_hon_nhan', 'so_ban_an_ly_hon']));
    expect(keys('1.000656')).toEqual(expect.arrayContaining(['ngay_mat']));
    expect(keys('1.013225')).toEqual(expect.arrayContaining(['loai_cong_trinh', 'dien_tich_xay_dung']));
    expect(keys('1.014111')).toEqual(expect.arrayContaining(['ho_ten', 'noi_dung_yeu_cau']));
  });

  it('marks documents the citizen already holds as available from the e-data store', () => {
    expect(heldDocumentType('Giấy tờ tùy thân (hộ chiếu/thẻ căn cước/căn cước điện tử...) - xuất trình')).toBe('can_cuoc');
    expect(heldDocumentType('Thẻ căn cước/CCCD (xuất trình)')).toBe('can_cuoc');
    expect(heldDocumentType('Bản sao giấy khai sinh (đối với trẻ em)')).toBe('giay_khai_sinh');
    expect(heldDocumentType('Bản chính/bản sao có chứng thực giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản')).toBe(
      'gcn_quyen_su_dung_dat',
    );
    expect(heldDocumentType('Tờ khai đăng ký khai sinh theo mẫu')).toBeNull();
    expect(heldDocumentType('Văn bản ủy quyền thực hiện việc đăng ký khai sinh')).toBeNull();
    const birth = inputs.find((i) => i.code === '1.001193.000.00.00.H66');
    expect(birth?.components?.filter((c) => c.fromEdataStore).map((c) => c.documentType)).toEqual(['can_cuoc']);
  });

  it('commune procedures go to the demo communes; provincial ones to the named department or the service centre', () => {
    const birth = inputs.find((i) => i.code.startsWith('1.001193.'));
    expect(birth?.agencies.map((a) => a.code)).toEqual(['H66.201', 'H66.202', 'H66.203', 'H66.204', 'H66.205', 'H66.206']);
    expect(inputs.find((i) => i.code.startsWith('1.000703.'))?.agencies.map((a) => a.code)).toEqual(['H66.007']); // Sở Xây dựng
    expect(inputs.find((i) => i.code.startsWith('2.002039.'))?.agencies.map((a) => a.code)).toEqual(['H66.003']); // Sở Tư pháp
    expect(inputs.find((i) => i.code.startsWith('3.000333.'))?.agencies.map((a) => a.code)).toEqual(['H66.020']); // Công an tỉnh → centre
  });
});
