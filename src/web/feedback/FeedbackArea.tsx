/**
 * The citizen's field-report pages under /phan-anh, each loaded on demand. Once one of them is open, the
 * others are fetched in the background (about 12 kB compressed): a citizen who loses the connection on
 * the form can still open "my reports" and see the queued report (the service worker keeps them too).
 */
import { lazy, useEffect } from 'react';
import { Route, Routes } from 'react-router';
import { NotFound } from '../app/NotFound';

const load = {
  board: () => import('./BoardPage'),
  form: () => import('./ReportForm'),
  mine: () => import('./MinePage'),
  detail: () => import('./DetailPage'),
};
const BoardPage = lazy(load.board);
const ReportFormPage = lazy(load.form);
const MinePage = lazy(load.mine);
const DetailPage = lazy(load.detail);

export default function FeedbackArea() {
  useEffect(() => {
    const timer = setTimeout(() => {
      for (const f of Object.values(load)) void f().catch(() => {});
    }, 1500);
    return () => clearTimeout(timer);
  }, []);
  return (
    <Routes>
      <Route index element={<BoardPage />} />
      <Route path="gui" element={<ReportFormPage />} />
      <Route path="cua-toi" element={<MinePage />} />
      <Route path=":id" element={<DetailPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
