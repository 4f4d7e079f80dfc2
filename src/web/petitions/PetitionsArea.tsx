/** The citizen's petition pages under /kien-nghi, each loaded on demand. */
import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { NotFound } from '../app/NotFound';

const PublicListPage = lazy(() => import('./PublicListPage'));
const FormPage = lazy(() => import('./FormPage'));
const MinePage = lazy(() => import('./MinePage'));
const DetailPage = lazy(() => import('./DetailPage'));

export default function PetitionsArea() {
  return (
    <Routes>
      <Route index element={<PublicListPage />} />
      <Route path="gui" element={<FormPage />} />
      <Route path="cua-toi" element={<MinePage />} />
      <Route path=":id" element={<DetailPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
