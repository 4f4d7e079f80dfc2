import { useTranslation } from 'react-i18next';
import { ButtonLink, PageHeader } from '../ui';

export function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('notFound.title')} lead={t('notFound.text')} />
      <ButtonLink to="/" variant="primary">
        {t('notFound.home')}
      </ButtonLink>
    </>
  );
}
