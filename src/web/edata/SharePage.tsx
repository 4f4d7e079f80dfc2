/** Public page of a share link (/chia-se/:token): what the document is, view and download; no login. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../api';
import { DateTime, Day, Details, ErrorState, Loading, Notice, PageHeader } from '../ui';
import { edataApi, edataKeys, shareFileUrl } from './api';
import { SourceTag, ValidityTag } from './tags';

export default function SharePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const shared = useQuery({
    queryKey: edataKeys.share(token),
    queryFn: () => edataApi.openShare(token),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (shared.isPending) return <Loading />;
  if (shared.isError) {
    const status = shared.error instanceof ApiError ? shared.error.status : 0;
    if (status === 410 || status === 404) {
      return (
        <div className="narrow">
          <PageHeader title={t('edata.public.title')} />
          <Notice tone="warning" title={status === 410 ? t('edata.public.gone') : t('edata.public.unknown')}>
            <p>{t('edata.public.askOwner')}</p>
          </Notice>
        </div>
      );
    }
    return <ErrorState error={shared.error} onRetry={() => void shared.refetch()} />;
  }
  const d = shared.data;
  return (
    <div className="narrow">
      <PageHeader title={d.title} lead={t('edata.public.lead')} />
      <p>
        <ValidityTag doc={d} /> <SourceTag source={d.source} />
      </p>
      <Details
        items={[
          [t('edata.fields.type'), d.typeName],
          [t('edata.fields.number'), d.number],
          [t('edata.fields.issuer'), d.issuer],
          [t('edata.fields.issuedOn'), <Day key="i" value={d.issuedOn} />],
          [t('edata.fields.validUntil'), d.validUntil ? <Day key="v" value={d.validUntil} /> : t('edata.validity.noLimit')],
          [t('edata.fields.dossier'), d.dossierCode],
          [t('edata.public.expires'), <DateTime key="e" value={d.expiresAt} />],
        ]}
      />
      <div className="button-row">
        <a className="btn btn-primary" href={shareFileUrl(token)} target="_blank" rel="noopener noreferrer">
          {t('edata.actions.view')}
        </a>
        <a className="btn btn-secondary" href={shareFileUrl(token, true)} download>
          {t('edata.actions.download')}
        </a>
      </div>
      <p className="muted">{t('edata.public.logged')}</p>
    </div>
  );
}
