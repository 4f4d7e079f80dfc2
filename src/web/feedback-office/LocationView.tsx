/**
 * Where the report is: a small map (the citizen app's BoundaryMap: commune outlines, no external tiles)
 * centred on the point, then the commune, the address text and the coordinates.
 */
import { useTranslation } from 'react-i18next';
import { stateGroup } from '../feedback/api';
import { BoundaryMap } from '../feedback/BoundaryMap';
import { useBoundaries } from '../feedback/shared';
import { Details } from '../ui';

export function LocationView({
  lon,
  lat,
  address,
  communeName,
  communeCode,
  state,
  code,
}: {
  lon: number | null;
  lat: number | null;
  address: string | null;
  communeName: string | null;
  communeCode: string | null;
  state: string;
  code: string;
}) {
  const { t } = useTranslation();
  const hasPoint = lon !== null && lat !== null;
  return (
    <>
      {hasPoint && <PointMap lon={lon} lat={lat} communeCode={communeCode} state={state} code={code} />}
      <Details
        items={[
          [t('feedbackOffice.fields.commune'), communeName ?? t('feedbackOffice.noCommune')],
          [t('feedbackOffice.fields.address'), address],
          [
            t('feedbackOffice.fields.coordinates'),
            hasPoint ? (
              <code key="pt">
                {lat.toFixed(5)}, {lon.toFixed(5)}
              </code>
            ) : null,
          ],
        ]}
      />
    </>
  );
}

function PointMap({
  lon,
  lat,
  communeCode,
  state,
  code,
}: {
  lon: number;
  lat: number;
  communeCode: string | null;
  state: string;
  code: string;
}) {
  const { t } = useTranslation();
  const boundaries = useBoundaries();
  // Without the outlines (offline, not loaded yet) the coordinates below still say where it is.
  if (!boundaries.data) return null;
  return (
    <div className="pa-map">
      <BoundaryMap
        boundaries={boundaries.data}
        label={t('feedbackOffice.detail.mapLabel', { code })}
        focus={{ lon, lat }}
        markers={[{ id: 'self', lon, lat, label: code, group: stateGroup(state) }]}
        highlight={communeCode ?? undefined}
        aspect={16 / 10}
        testId="pa-map"
      />
    </div>
  );
}
