/** The office's petition pages under /office/kien-nghi (petitions.handle), each loaded on demand. */
import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { can, useMe } from '../app/auth';
import { NotFound } from '../app/NotFound';
import { Loading } from '../ui';
import { PETITIONS_PERMISSION } from './logic';

const QueuePage = lazy(() => import('./QueuePage'));
const OfficeDetailPage = lazy(() => import('./OfficeDetailPage'));
const CounterPage = lazy(() => import('./CounterPage'));
const StatsPage = lazy(() => import('./StatsPage'));

export default function PetitionsOfficeArea() {
  const { data: me, isPending } = useMe();
  if (isPending) return <Loading />;
  if (!can(me, PETITIONS_PERMISSION)) return <NotFound />;
  return (
    <Routes>
      <Route index element={<QueuePage />} />
      <Route path="ghi-nhan" element={<CounterPage />} />
      <Route path="thong-ke" element={<StatsPage />} />
      <Route path=":id" element={<OfficeDetailPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
