/**
 * Public verification of an e-result (/xac-thuc/:code and /xac-thuc; anonymous, 360 px): the issued
 * record for the code (no personal data), and a file input that sends a PDF as it is to the server,
 * which says whether it is byte for byte the file issued and whether its signatures hold.
 */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../api';
import { Button, DateTime, Details, ErrorState, Loading, Notice, PageHeader, problemText, Section, TextField } from '../ui';
import { type Issued, useIssuedResult, type Verdict, verifyPath, verifyPdf } from './api';

export default function VerifyPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  return (
    <>
      <PageHeader title={t('processing.verify.title')} lead={t('processing.verify.lead')} />
      {code ? <IssuedRecord code={code} /> : <CodeForm />}
      <CheckFile />
    </>
  );
}

function CodeForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (code.trim()) navigate(verifyPath(code.trim()));
  };
  return (
    <Section title={t('processing.verify.byCode')} id="verify-code">
      <form className="form" onSubmit={submit} noValidate aria-label={t('processing.verify.byCode')}>
        <TextField
          label={t('processing.verify.code')}
          hint={t('processing.verify.codeHint')}
          field={{ id: 'verify-code-input', name: 'code' }}
          value={code}
          onValue={setCode}
          maxLength={60}
        />
        <Button type="submit">{t('processing.verify.find')}</Button>
      </form>
    </Section>
  );
}

function IssuedRecord({ code }: { code: string }) {
  const { t } = useTranslation();
  const q = useIssuedResult(code);
  return (
    <Section title={t('processing.verify.issued')} id="verify-issued">
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        q.error instanceof ApiError && q.error.status === 404 ? (
          <Notice tone="warning" title={t('processing.verify.notFound', { code })} />
        ) : (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        )
      ) : (
        <IssuedDetails issued={q.data} />
      )}
    </Section>
  );
}

function IssuedDetails({ issued: r }: { issued: Issued }) {
  const { t } = useTranslation();
  return (
    <Details
      items={[
        [t('processing.verify.code'), <code key="c">{r.code}</code>],
        [t('reception.fields.procedure'), r.procedureName],
        [t('processing.verify.agency'), r.agencyName],
        [t('processing.verify.signedAt'), <DateTime key="s" value={r.signedAt} />],
        [
          t('processing.verify.sha256'),
          <code key="h" className="break-all">
            {r.sha256}
          </code>,
        ],
      ]}
    />
  );
}

function CheckFile() {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [error, setError] = useState<{ title: string; detail?: string } | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError({ title: t('processing.verify.chooseFile') });
      return;
    }
    setBusy(true);
    setError(null);
    setVerdict(null);
    try {
      setVerdict(await verifyPdf(file));
    } catch (err) {
      setError(problemText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('processing.verify.checkFile')} id="verify-file">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-label={t('processing.verify.checkFile')}>
        <div className="field">
          <label className="field-label" htmlFor="verify-file-input">
            {t('processing.verify.file')}
          </label>
          <div className="field-hint" id="verify-file-hint">
            {t('processing.verify.fileHint')}
          </div>
          <input
            id="verify-file-input"
            className="input input-file"
            type="file"
            accept="application/pdf,.pdf"
            aria-describedby="verify-file-hint"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <Button type="submit" busy={busy}>
          {t('processing.verify.check')}
        </Button>
      </form>
      {error && (
        <Notice tone="error" live title={error.title}>
          {error.detail}
        </Notice>
      )}
      {verdict && <VerdictView verdict={verdict} />}
    </Section>
  );
}

function VerdictView({ verdict: v }: { verdict: Verdict }) {
  const { t } = useTranslation();
  const good = v.matches && v.signatures.length > 0 && v.signatures.every((s) => s.intact && s.trusted);
  return (
    <div data-testid="verify-verdict">
      <Notice
        tone={good ? 'success' : v.matches ? 'warning' : 'error'}
        live
        title={good ? t('processing.verify.good') : v.matches ? t('processing.verify.matchOnly') : t('processing.verify.bad')}
      >
        <p>{v.message}</p>
      </Notice>
      {v.issued && <IssuedDetails issued={v.issued} />}
      {v.signatures.length > 0 && (
        <ul className="plain-list">
          {v.signatures.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: signatures keep their order in the file
            <li key={i}>
              <strong>{s.signer ?? t('processing.verify.unknownSigner')}</strong>
              {s.signedAt && (
                <>
                  {' · '}
                  <DateTime value={s.signedAt} />
                </>
              )}
              <span className="cell-sub">
                {s.intact ? t('processing.verify.intact') : t('processing.verify.altered')} ·{' '}
                {s.trusted ? t('processing.verify.trusted') : t('processing.verify.untrusted')}
                {!s.coversWholeFile && ` · ${t('processing.verify.partial')}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
