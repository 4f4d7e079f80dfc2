/**
 * Test helpers of the petitions module: the demo agencies used, a valid body, submitting and acting.
 */
import type { Session } from '../../../../test/app';
import { demoAgencyId } from '../org';

export const BMT = demoAgencyId('H66.201'); // UBND phường Buôn Ma Thuột (motcua.bmt, lanhdao.bmt, chuyenvien.bmt)
export const SNV = demoAgencyId('H66.002'); // Sở Nội vụ (lanhdao.snv)
export const SXD = demoAgencyId('H66.007'); // Sở Xây dựng
export const STP = demoAgencyId('H66.003'); // Sở Tư pháp (lanhdao)

export const petitionBody = (agencyId: string, extra: object = {}) => ({
  agencyId,
  category: 2,
  regulation: 'Quyết định 25/2024/QĐ-UBND về cấp giấy phép xây dựng, Điều 7',
  content: 'Quy định yêu cầu nộp bản vẽ khổ A1 bản giấy dù đã nộp bản điện tử, gây tốn kém cho người dân.',
  proposal: 'Chỉ yêu cầu bản điện tử.',
  ...extra,
});

export const contact = { name: 'Trần Văn Bình', address: '12 Lê Duẩn, Buôn Ma Thuột', phone: '0905 123 456' };

export const submit = (s: Session, body: object, headers: Record<string, string> = {}) =>
  s.request('POST', '/api/v1/petitions', body, headers);

export const counter = (s: Session, body: object) => s.request('POST', '/api/v1/petitions/counter', body);

export const act = (s: Session, id: string, action: string, body: object = {}) =>
  s.request('POST', `/api/v1/petitions/${id}/${action}`, body);
