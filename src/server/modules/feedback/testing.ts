/**
 * Test helpers of the field-report module: a point inside Phường Buôn Ma Thuột, submitting a report and
 * acting on one as a given session.
 */
import type { Session } from '../../../../test/app';

/** Inside Phường Buôn Ma Thuột (24133). */
export const BMT = { lon: 108.0378, lat: 12.6667 };

export const submitReport = (s: Session, body: object, headers: Record<string, string> = {}) =>
  s.request('POST', '/api/v1/field-reports', body, headers);

export const actOn = (s: Session, id: string, action: string, body: object = {}) =>
  s.request('POST', `/api/v1/field-reports/${id}/${action}`, body);
