/** Pieces the citizen and office pages share: the state tag, a card of a published answer, the timeline. */
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DateTime, Tag } from '../ui';
import type { PetitionEvent, PetitionState, PublicPetition } from './api';
import { stateTone } from './logic';

export function StateTag({ state }: { state: PetitionState }) {
  const { t } = useTranslation();
  return <Tag tone={stateTone(state)}>{t(`petitions.states.${state}`)}</Tag>;
}

export function AnswerCard({ p, to }: { p: PublicPetition; to: string }) {
  const { t } = useTranslation();
  return (
    <li className="pk-card">
      <h3 className="pk-card-title">
        <Link to={to}>{p.regulation}</Link>
      </h3>
      <p className="pk-meta">
        <span>{p.categoryName}</span> · <span>{p.agencyName}</span>
      </p>
      <p className="pk-summary">{p.summary}</p>
      {p.answerText && (
        <div className="pk-answer">
          <p className="pk-answer-label">{t('petitions.fields.answer')}</p>
          <p className="pk-clamp">{p.answerText}</p>
        </div>
      )}
      <p className="pk-meta">
        {t('petitions.fields.receivedAt')}: <DateTime value={p.receivedAt} /> · {t('petitions.fields.answeredAt')}:{' '}
        <DateTime value={p.answeredAt} />
      </p>
    </li>
  );
}

export function Timeline({ events }: { events: PetitionEvent[] }) {
  const { t } = useTranslation();
  if (!events.length) return null;
  return (
    <ol className="pk-timeline" aria-label={t('petitions.detail.timeline')}>
      {events.map((e) => {
        const assessment = e.details.assessment as Record<string, string> | undefined;
        return (
          <li key={e.seq}>
            <p className="pk-timeline-head">
              <strong>{e.actionName}</strong> — {e.actor} · <DateTime value={e.at} />
              {e.details.late === true && (
                <>
                  {' '}
                  <Tag tone="danger">{t('petitions.detail.late')}</Tag>
                </>
              )}
            </p>
            {e.note && <p className="pk-note">{e.note}</p>}
            {assessment && (
              <dl className="pk-assessment">
                {Object.entries(assessment).map(([k, v]) => (
                  <div key={k}>
                    <dt>{t(`petitions.criteria.${k}`)}</dt>
                    <dd>{v}</dd>
                  </div>
                ))}
              </dl>
            )}
          </li>
        );
      })}
    </ol>
  );
}
