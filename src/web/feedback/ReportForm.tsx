/**
 * /phan-anh/gui — the report form, one page with an error summary (360 px first). Photos are made smaller
 * in the browser; the location comes from a tap on the map, the phone's GPS, an address, or the first
 * photo's EXIF. Before sending, open reports of the same category within 100 m are offered to follow.
 * Sending goes through the offline queue: stored first, then sent; offline, it waits on the device.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError, type Me } from '../api';
import { useMe } from '../app/auth';
import { Button, ButtonLink, CheckboxField, FormView, Notice, PageHeader, SelectField, TextArea, TextField, useForm } from '../ui';
import { feedbackApi, feedbackKeys, type NearbyReport } from './api';
import { BoundaryMap, type LonLat } from './BoundaryMap';
import { bboxOf, inBBox } from './geo';
import { getOutbox, type OutboxItem } from './outbox';
import { downscale, MAX_PHOTOS } from './photos';
import { asFormError, bodyOf, initial, type Photo, photosOf, type Values, validateReport } from './reportForm.logic';
import { OfflineBanner, ReportCard, useBoundaries, useCategories } from './shared';
import { useOnline, useOutbox } from './useOutbox';

/** A report waiting on this device; it turns into "sent, code PA-…" as soon as the queue sends it. */
function QueuedNotice({ item, onAnother }: { item: OutboxItem; onAnother: () => void }) {
  const { t } = useTranslation();
  const { sent } = useOutbox();
  const done = sent.find((s) => s.key === item.key);
  const actions = (
    <p className="fr-actions">
      <ButtonLink to="/phan-anh/cua-toi">{t('feedback.mine.title')}</ButtonLink>
      <Button variant="secondary" onClick={onAnother}>
        {t('feedback.form.another')}
      </Button>
    </p>
  );
  return done ? (
    <Notice tone="success" title={t('feedback.mine.sent')} live>
      <p>
        {t('feedback.outbox.sent')} <Link to={`/phan-anh/${done.id}`}>{done.code}</Link>
      </p>
      {actions}
    </Notice>
  ) : (
    <Notice tone="warning" title={t('feedback.form.queuedTitle')} live>
      <p>{t('feedback.form.queuedText')}</p>
      {actions}
    </Notice>
  );
}

export default function ReportFormPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const [queued, setQueued] = useState<OutboxItem | null>(null);
  const [formKey, setFormKey] = useState(0);
  return (
    <div className="narrow">
      <PageHeader
        title={t('feedback.form.title')}
        lead={t('feedback.form.lead')}
        breadcrumbs={[
          { to: '/', label: t('nav.home') },
          { to: '/phan-anh', label: t('feedback.board.title') },
        ]}
      />
      <OfflineBanner />
      {queued ? (
        <QueuedNotice
          item={queued}
          onAnother={() => {
            setQueued(null);
            setFormKey((k) => k + 1);
          }}
        />
      ) : (
        <ReportForm key={formKey} me={me ?? null} onQueued={setQueued} />
      )}
    </div>
  );
}

function ReportForm({ me, onQueued }: { me: Me | null; onQueued: (item: OutboxItem) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const online = useOnline();
  const categories = useCategories();
  const boundaries = useBoundaries();
  const outer = boundaries.data ? bboxOf(boundaries.data) : null;
  const [processing, setProcessing] = useState(0);
  const [geoStatus, setGeoStatus] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const [recentre, setRecentre] = useState<(LonLat & { key: number }) | null>(null);
  const ids = useId();

  const form = useForm<Values>({
    initial,
    validate: (v) => validateReport(v, !!me, t),
    onSubmit: async (v) => {
      const outbox = getOutbox();
      const categoryName = categories.data?.items.find((c) => c.code === v.categoryCode)?.name ?? v.categoryCode;
      // Stored on the device first, so nothing is lost if the line drops now.
      const item = await outbox.add(bodyOf(v), photosOf(v), { categoryName, accountId: me?.id ?? null });
      const r = await outbox.send(item.key);
      if (r.status === 'sent') {
        navigate(`/phan-anh/${r.report.id}`, { state: { created: r.report.code } });
      } else if (r.status === 'rejected') {
        // The user is here to fix it: take it out of the queue and show the server's reasons on the form.
        await outbox.remove(item.key);
        throw asFormError(r.error);
      } else if (r.status === 'queued') {
        onQueued(item);
      }
    },
  });
  const v = form.values;

  // Thumbnails are object URLs: release them when the form goes away.
  const photosRef = useRef(v.photos);
  photosRef.current = v.photos;
  useEffect(
    () => () => {
      for (const p of photosRef.current) URL.revokeObjectURL(p.url);
    },
    [],
  );

  const addFiles = async (files: FileList | null) => {
    if (!files) return;
    const room = MAX_PHOTOS - photosRef.current.length;
    const chosen = [...files].filter((f) => f.type.startsWith('image/') || f.type === '').slice(0, Math.max(0, room));
    setProcessing((n) => n + chosen.length);
    const added: Photo[] = [];
    for (const file of chosen) {
      const small = await downscale(file).catch(() => file);
      added.push({ id: `${Date.now()}-${Math.random()}`, original: file, small, url: URL.createObjectURL(small) });
      setProcessing((n) => n - 1);
    }
    form.set('photos', [...photosRef.current, ...added].slice(0, MAX_PHOTOS));
  };

  const removePhoto = (id: string) => {
    const p = v.photos.find((x) => x.id === id);
    if (p) URL.revokeObjectURL(p.url);
    form.set(
      'photos',
      v.photos.filter((x) => x.id !== id),
    );
  };

  const locateMe = () => {
    if (!('geolocation' in navigator)) {
      setGeoStatus({ tone: 'error', text: t('feedback.form.geoUnsupported') });
      return;
    }
    setGeoStatus({ tone: 'info', text: t('feedback.form.geoLooking') });
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const p = { lon: pos.coords.longitude, lat: pos.coords.latitude };
        if (outer && !inBBox(outer, p.lon, p.lat)) {
          setGeoStatus({ tone: 'error', text: t('feedback.form.geoOutside') });
          return;
        }
        form.set('location', p);
        setRecentre({ ...p, key: Date.now() });
        setGeoStatus({ tone: 'info', text: t('feedback.form.geoFound', { accuracy: Math.round(pos.coords.accuracy) }) });
      },
      (err) =>
        setGeoStatus({
          tone: 'error',
          text: err.code === err.PERMISSION_DENIED ? t('feedback.form.geoDenied') : t('feedback.form.geoFailed'),
        }),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  };

  const photosField = form.field('photos', t('feedback.fields.photos'));
  const locationField = form.field('location', t('feedback.fields.location'));

  return (
    <FormView form={form} label={t('feedback.form.title')}>
      <SelectField
        label={t('feedback.fields.category')}
        required
        field={form.field('categoryCode', t('feedback.fields.category'))}
        value={v.categoryCode}
        onValue={(x) => form.set('categoryCode', x)}
        placeholder={categories.isPending ? t('common.loading') : t('common.choose')}
        options={(categories.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))}
      />
      <TextArea
        label={t('feedback.fields.description')}
        required
        hint={t('feedback.form.descriptionHint')}
        field={form.field('description', t('feedback.fields.description'))}
        value={v.description}
        onValue={(x) => form.set('description', x)}
        rows={5}
        maxLength={2000}
      />

      <fieldset
        className={['fieldset', photosField.error ? 'field-invalid' : ''].filter(Boolean).join(' ')}
        id={photosField.id}
        tabIndex={-1}
      >
        <legend className="field-label">{t('feedback.fields.photos')}</legend>
        <p className="field-hint">{t('feedback.form.photosHint', { max: MAX_PHOTOS })}</p>
        {photosField.error && <p className="field-error">{photosField.error}</p>}
        {v.photos.length < MAX_PHOTOS && (
          <div className="fr-photo-inputs">
            <label className="btn btn-secondary fr-file-button" htmlFor={`${ids}-camera`}>
              {t('feedback.form.takePhoto')}
            </label>
            <input
              id={`${ids}-camera`}
              className="visually-hidden"
              type="file"
              accept="image/*"
              capture="environment"
              onChange={(e) => {
                void addFiles(e.target.files);
                e.target.value = '';
              }}
            />
            <label className="btn btn-secondary fr-file-button" htmlFor={`${ids}-files`}>
              {t('feedback.form.choosePhotos')}
            </label>
            <input
              id={`${ids}-files`}
              className="visually-hidden"
              type="file"
              accept="image/*"
              multiple
              onChange={(e) => {
                void addFiles(e.target.files);
                e.target.value = '';
              }}
            />
          </div>
        )}
        {processing > 0 && (
          <p className="fr-hint" role="status">
            {t('feedback.form.processing')}
          </p>
        )}
        {v.photos.length > 0 && (
          <ul className="fr-thumbs" aria-label={t('feedback.form.chosenPhotos')}>
            {v.photos.map((p, i) => (
              <li key={p.id}>
                <img src={p.url} alt={t('feedback.form.photoAlt', { n: i + 1 })} />
                <span className="fr-thumb-size">{Math.max(1, Math.round(p.small.size / 1024))} KB</span>
                <button type="button" className="fr-thumb-remove" onClick={() => removePhoto(p.id)}>
                  {t('feedback.form.removePhoto', { n: i + 1 })}
                </button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>

      <fieldset
        className={['fieldset', locationField.error ? 'field-invalid' : ''].filter(Boolean).join(' ')}
        id={locationField.id}
        tabIndex={-1}
      >
        <legend className="field-label">
          {t('feedback.fields.location')}
          <span className="required-mark">
            <span aria-hidden="true"> *</span>
            <span className="visually-hidden"> ({t('form.required')})</span>
          </span>
        </legend>
        <p className="field-hint">{t('feedback.form.locationHint')}</p>
        {locationField.error && <p className="field-error">{locationField.error}</p>}
        {boundaries.data ? (
          <BoundaryMap
            boundaries={boundaries.data}
            label={t('feedback.form.mapLabel')}
            pin={v.location}
            onPick={(p) => form.set('location', p)}
            recentre={recentre}
            testId="map-pin-target"
          />
        ) : boundaries.isError ? (
          <p className="fr-hint">{t('feedback.map.unavailable')}</p>
        ) : (
          <p className="fr-hint">{t('feedback.map.loading')}</p>
        )}
        <div className="fr-actions">
          <Button variant="secondary" onClick={locateMe}>
            {t('feedback.form.useMyLocation')}
          </Button>
          {v.location && (
            <Button variant="link" onClick={() => form.set('location', null)}>
              {t('feedback.form.clearLocation')}
            </Button>
          )}
        </div>
        {geoStatus && (
          <p className={geoStatus.tone === 'error' ? 'field-error' : 'fr-hint'} role="status">
            {geoStatus.text}
          </p>
        )}
        <p className="fr-hint" aria-live="polite" data-testid="chosen-location">
          {v.location
            ? t('feedback.form.chosenLocation', { lat: v.location.lat.toFixed(5), lon: v.location.lon.toFixed(5) })
            : t('feedback.form.noLocation')}
        </p>
        <TextField
          label={t('feedback.fields.address')}
          hint={t('feedback.form.addressHint')}
          field={form.field('address', t('feedback.fields.address'))}
          value={v.address}
          onValue={(x) => form.set('address', x)}
          maxLength={500}
          autoComplete="street-address"
        />
        <CheckboxField
          label={t('feedback.fields.useExifLocation')}
          hint={t('feedback.form.exifHint')}
          field={form.field('useExifLocation', t('feedback.fields.useExifLocation'))}
          checked={v.useExifLocation}
          onChecked={(x) => form.set('useExifLocation', x)}
        />
      </fieldset>

      {v.location && v.categoryCode && online && <Nearby location={v.location} category={v.categoryCode} me={me} />}

      <fieldset className="fieldset">
        <legend className="field-label">{t('feedback.fields.visibility')}</legend>
        {(['public', 'private'] as const).map((x) => (
          <div className="field-checkbox" key={x}>
            <input
              type="radio"
              className="checkbox"
              id={`${ids}-vis-${x}`}
              name="visibility"
              checked={v.visibility === x}
              onChange={() => form.set('visibility', x)}
            />
            <label className="checkbox-label" htmlFor={`${ids}-vis-${x}`}>
              {t(x === 'public' ? 'feedback.form.public' : 'feedback.form.private')}
            </label>
          </div>
        ))}
        <CheckboxField
          label={t('feedback.fields.anonymous')}
          hint={t('feedback.form.anonymousHint')}
          field={form.field('anonymous', t('feedback.fields.anonymous'))}
          checked={v.anonymous}
          onChecked={(x) => form.set('anonymous', x)}
        />
      </fieldset>

      <fieldset className="fieldset">
        <legend className="field-label">{t('feedback.form.contactTitle')}</legend>
        <p className="field-hint">{me ? t('feedback.form.contactSignedIn') : t('feedback.form.contactAnonymous')}</p>
        <TextField
          label={t('feedback.fields.name')}
          field={form.field('name', t('feedback.fields.name'))}
          value={v.name}
          onValue={(x) => form.set('name', x)}
          autoComplete="name"
          maxLength={200}
        />
        <TextField
          label={t('feedback.fields.phone')}
          type="tel"
          inputMode="tel"
          field={form.field('phone', t('feedback.fields.phone'))}
          value={v.phone}
          onValue={(x) => form.set('phone', x)}
          autoComplete="tel"
        />
        <TextField
          label={t('feedback.fields.email')}
          type="email"
          field={form.field('email', t('feedback.fields.email'))}
          value={v.email}
          onValue={(x) => form.set('email', x)}
          autoComplete="email"
          maxLength={254}
        />
        {!me && (
          <p className="fr-hint">
            <Link to="/login?next=%2Fphan-anh%2Fgui">{t('feedback.form.signIn')}</Link>
          </p>
        )}
      </fieldset>

      {!online && <p className="fr-hint">{t('feedback.form.offlineSubmit')}</p>}
      <div className="form-actions">
        <Button type="submit" busy={form.submitting} disabled={processing > 0}>
          {t('feedback.form.submit')}
        </Button>
      </div>
    </FormView>
  );
}

/** Open reports of the same category within 100 m, to follow instead of sending a duplicate. */
function Nearby({ location, category, me }: { location: LonLat; category: string; me: Me | null }) {
  const { t } = useTranslation();
  // Rounded so that a small move of the pin does not ask again (≈ 11 m).
  const lon = Math.round(location.lon * 1e4) / 1e4;
  const lat = Math.round(location.lat * 1e4) / 1e4;
  const q = useQuery({
    queryKey: feedbackKeys.nearby(lon, lat, category),
    queryFn: () => feedbackApi.nearby(lon, lat, category),
    retry: false,
    staleTime: 60_000,
  });
  const items = q.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="fr-nearby" aria-labelledby="fr-nearby-title" data-testid="nearby">
      <h2 id="fr-nearby-title">{t('feedback.nearby.title', { count: items.length })}</h2>
      <p>{t('feedback.nearby.text')}</p>
      <ul className="fr-cards">
        {items.map((r) => (
          <ReportCard key={r.id} r={r} extra={<NearbyActions r={r} me={me} />} />
        ))}
      </ul>
    </section>
  );
}

function NearbyActions({ r, me }: { r: NearbyReport; me: Me | null }) {
  const { t } = useTranslation();
  const follow = useMutation({ mutationFn: () => feedbackApi.follow(r.id) });
  return (
    <div className="fr-card-actions">
      <span className="fr-card-meta">{t('feedback.nearby.distance', { meters: r.distanceMeters })}</span>
      {follow.isSuccess ? (
        <span role="status" className="fr-followed">
          {t('feedback.nearby.following')}
        </span>
      ) : me ? (
        <Button variant="secondary" busy={follow.isPending} onClick={() => follow.mutate()}>
          {t('feedback.nearby.follow')}
        </Button>
      ) : (
        <Link to={`/login?next=${encodeURIComponent(`/phan-anh/${r.id}`)}`}>{t('feedback.nearby.signInToFollow')}</Link>
      )}
      {follow.isError && (
        <span className="field-error" role="alert">
          {follow.error instanceof ApiError ? (follow.error.problem.detail ?? follow.error.problem.title) : t('errors.generic')}
        </span>
      )}
    </div>
  );
}
