import { describe, expect, it } from 'vitest';
import type { Component } from '../../server/modules/catalog/catalog.schemas';
import type { DossierFile } from '../../server/modules/dossiers/dossiers.schemas';
import { componentChecklist, issuedFiles, supplementItems, supplementPrefill } from './checklist';

const component = (key: string, name: string, required = true): Component => ({
  key,
  name,
  required,
  original: null,
  copies: 1,
  condition: required ? null : 'Trường hợp có ủy quyền',
  templateFileId: null,
  fromEdataStore: false,
  documentType: null,
});

let seq = 0;
const file = (componentKey: string, name: string, extra: Partial<DossierFile> = {}): DossierFile => ({
  fileId: `f-${++seq}`,
  componentKey,
  name,
  mediaType: 'application/pdf',
  size: 1000,
  reused: false,
  superseded: false,
  addedSeq: seq,
  ...extra,
});

const components = [
  component('to_khai', 'Tờ khai đăng ký khai sinh'),
  component('giay_chung_sinh', 'Giấy chứng sinh'),
  component('uy_quyen', 'Văn bản ủy quyền', false),
];

describe('required-component checklist', () => {
  it('marks each component present, missing (required, no file) or optional (conditional, no file)', () => {
    const c = componentChecklist(components, [file('to_khai', 'to-khai.pdf')]);
    expect(c.rows.map((r) => [r.component.key, r.status])).toEqual([
      ['to_khai', 'present'],
      ['giay_chung_sinh', 'missing'],
      ['uy_quyen', 'optional'],
    ]);
    expect(c.missing.map((m) => m.key)).toEqual(['giay_chung_sinh']);
  });

  it('a component whose file was replaced by a newer one stays present; superseded files are kept apart', () => {
    const c = componentChecklist(components, [
      file('to_khai', 'old.pdf', { superseded: true }),
      file('to_khai', 'new.pdf'),
      file('giay_chung_sinh', 'gcs.pdf'),
    ]);
    expect(c.missing).toEqual([]);
    const row = c.rows[0];
    expect(row?.files.map((f) => f.name)).toEqual(['new.pdf']);
    expect(row?.superseded.map((f) => f.name)).toEqual(['old.pdf']);
  });

  it('a component with only superseded files is missing again', () => {
    const c = componentChecklist(components, [file('to_khai', 'old.pdf', { superseded: true }), file('giay_chung_sinh', 'g.pdf')]);
    expect(c.missing.map((m) => m.key)).toEqual(['to_khai']);
  });

  it('ignores issued PDFs and lists files under unknown keys separately', () => {
    const c = componentChecklist(components, [file('_issued', 'mau-02.pdf'), file('khac', 'anh.jpg')]);
    expect(c.rows.every((r) => r.files.length === 0)).toBe(true);
    expect(c.other.map((f) => f.name)).toEqual(['anh.jpg']);
  });
});

describe('issued forms', () => {
  it('recognises Mẫu 01/02/03 from the file name and the receipt id, oldest first', () => {
    const receipt = file('_issued', 'giay-tiep-nhan.pdf', { addedSeq: 50 });
    const issued = issuedFiles(
      [
        file('_issued', 'mau-03-phieu-tu-choi-H66.pdf', { addedSeq: 60 }),
        receipt,
        file('_issued', 'mau-02-phieu-yeu-cau-bo-sung-H66.pdf', { addedSeq: 40 }),
        file('to_khai', 'mau-01-la-cua-cong-dan.pdf'),
        file('_issued', 'khac.pdf', { addedSeq: 70 }),
      ],
      receipt.fileId,
    );
    expect(issued.map((i) => i.form)).toEqual(['02', '01', '03', null]);
  });
});

describe('supplement request pre-fill', () => {
  it('one row per missing required component, editable text = the component name', () => {
    expect(supplementPrefill([components[1] as Component])).toEqual([{ componentKey: 'giay_chung_sinh', text: 'Giấy chứng sinh' }]);
  });

  it('one empty row when nothing is missing', () => {
    expect(supplementPrefill([])).toEqual([{ componentKey: '', text: '' }]);
  });

  it('sends trimmed items, without empty lines, with the component only when one is chosen', () => {
    expect(
      supplementItems([
        { componentKey: 'to_khai', text: '  Ký tên vào tờ khai ' },
        { componentKey: '', text: '   ' },
        { componentKey: '', text: 'Bản sao CCCD của người đi đăng ký' },
      ]),
    ).toEqual([{ componentKey: 'to_khai', text: 'Ký tên vào tờ khai' }, { text: 'Bản sao CCCD của người đi đăng ký' }]);
  });
});
