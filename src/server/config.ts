/**
 * Every setting of the server, typed, read once from the environment.
 * The README's configuration table lists the same variables; keep them in step.
 */
import path from 'node:path';

export type Config = ReturnType<typeof loadConfig>;

function str(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} phải là số nguyên (đang là "${v}")`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const nodeEnv = str(env, 'NODE_ENV', 'development');
  const production = nodeEnv === 'production';
  const dataDir = path.resolve(str(env, 'TINHSO_DATA_DIR', './data'));
  const databaseUrl = env.DATABASE_URL || undefined;
  return {
    nodeEnv,
    production,
    port: int(env, 'PORT', 3000),
    host: str(env, 'HOST', '0.0.0.0'),
    /** Public origin used in links, QR codes and OIDC; defaults to http://localhost:PORT. */
    publicUrl: str(env, 'PUBLIC_URL', `http://localhost:${int(env, 'PORT', 3000)}`),
    dataDir,
    /** Place name printed on issued forms ("Đắk Lắk, ngày … tháng … năm …"). */
    provinceName: str(env, 'PROVINCE_NAME', 'Đắk Lắk'),
    /** Tracking lookups (code + last digits) a client may try per minute, and wrong answers per dossier code per hour. */
    trackingLookupsPerMinute: int(env, 'TRACKING_LOOKUPS_PER_MINUTE', 10),
    trackingFailuresPerCode: int(env, 'TRACKING_FAILURES_PER_CODE', 10),
    /** Working hours before a step's or a dossier's due date when the holders and their leaders are warned. */
    deadlineWarnHours: int(env, 'DEADLINE_WARN_HOURS', 8),
    /** PostgreSQL server; when unset the embedded PGlite database in `${dataDir}/pglite` is used. */
    databaseUrl,
    /** PGlite's shared_buffers: PostgreSQL's 128MB default costs the embedded engine ~130 MB of RSS for little gain. */
    pgliteSharedBuffers: str(env, 'PGLITE_SHARED_BUFFERS', '32MB'),
    /** Demo province seed: on by default, never in production. */
    demo: bool(env, 'TINHSO_DEMO', !production),
    logLevel: str(env, 'LOG_LEVEL', production ? 'info' : 'warn'),
    /** Secret for signing cookies and CSRF tokens. Required in production. */
    sessionSecret: str(env, 'SESSION_SECRET', production ? '' : 'dev-only-secret-change-me-0123456789abcdef'),
    /** Key that encrypts stored secrets (TOTP seeds). Required in production; changing it disables existing TOTP. */
    dataEncryptionKey: str(env, 'DATA_ENCRYPTION_KEY', production ? '' : 'dev-only-data-key-change-me-0123456789'),
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12),
    /** Staff second factor: 'required' forces TOTP enrolment at first login, 'optional' lets staff choose. */
    staffTotp: str(env, 'STAFF_TOTP', 'optional') as 'required' | 'optional',
    loginMaxFailures: int(env, 'LOGIN_MAX_FAILURES', 5),
    loginLockMinutes: int(env, 'LOGIN_LOCK_MINUTES', 15),
    loginRateLimitPerMinute: int(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 10),
    /** Field reports one caller (IP) may submit per minute. */
    reportRateLimitPerMinute: int(env, 'REPORT_RATE_LIMIT_PER_MINUTE', 30),
    files: {
      maxBytes: int(env, 'UPLOAD_MAX_BYTES', 20 * 1024 * 1024),
      s3: env.S3_BUCKET
        ? {
            bucket: env.S3_BUCKET,
            endpoint: env.S3_ENDPOINT || undefined,
            region: str(env, 'S3_REGION', 'us-east-1'),
            accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
            secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
            forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', true),
          }
        : undefined,
      /** clamd address "host:port"; virus scanning is off when unset. */
      clamd: env.CLAMD_ADDRESS || undefined,
    },
    mail: {
      /** SMTP URL, e.g. smtp://user:pass@mail.example.vn:587; without it e-mail goes to the local outbox. */
      smtpUrl: env.SMTP_URL || undefined,
      from: str(env, 'MAIL_FROM', 'TinhSo <no-reply@tinhso.local>'),
    },
    /** Serve the built web app from dist/web (built on start when missing). */
    serveWeb: bool(env, 'SERVE_WEB', true),
    /** Run background job workers in this process. */
    jobs: bool(env, 'JOBS', true),
    /** Seconds between polls of an idle job queue; a job sent by this process wakes its worker at once. */
    jobsPollSeconds: int(env, 'JOBS_POLL_SECONDS', 2),
    /** Seconds a process keeps the province calendar before reloading it (changes made by other processes show up within this time). */
    calendarCacheSeconds: int(env, 'CALENDAR_CACHE_SECONDS', 60),
    notify: {
      /** SMS gateway: 'local' keeps messages in the outbox only (no gateway is reachable from here). */
      smsProvider: str(env, 'SMS_PROVIDER', 'local'),
      /** Zalo Official Account provider: 'local' keeps messages in the outbox only. */
      zaloProvider: str(env, 'ZALO_PROVIDER', 'local'),
    },
    zalo: (() => {
      const publicUrl = str(env, 'PUBLIC_URL', `http://localhost:${int(env, 'PORT', 3000)}`).replace(/\/+$/, '');
      /** Local stand-in for Zalo (OA API + webhook sender) mounted at /zalo-sandbox: on by default outside production. */
      const sandbox = bool(env, 'ZALO_SANDBOX', !production);
      return {
        sandbox,
        /** Base of the Zalo OA open API (`{base}/v3.0/oa/message/cs`); the sandbox when it runs, else openapi.zalo.me. */
        apiBase: str(env, 'ZALO_API_BASE', sandbox ? `${publicUrl}/zalo-sandbox` : 'https://openapi.zalo.me').replace(/\/+$/, ''),
        /**
         * OA access token sent as the `access_token` header, and its refresh token (OAuth v4: one use each, about
         * three months). Both seed the encrypted token store (zalo_oa_tokens); the job zalo.token then keeps the
         * access token fresh. Dev values only with the sandbox.
         */
        accessToken: str(env, 'ZALO_OA_ACCESS_TOKEN', sandbox ? 'zalo-sandbox-access-token' : ''),
        refreshToken: str(env, 'ZALO_OA_REFRESH_TOKEN', sandbox ? 'zalo-sandbox-refresh-token' : ''),
        /** The Zalo app's secret key, sent as `secret_key` when refreshing the OA access token. */
        appSecretKey: str(env, 'ZALO_APP_SECRET_KEY', sandbox ? 'zalo-sandbox-app-secret-key' : ''),
        /** OAuth v4 token endpoint of OAs; the sandbox's when it runs. */
        oauthUrl: str(
          env,
          'ZALO_OAUTH_URL',
          sandbox ? `${publicUrl}/zalo-sandbox/v4/oa/access_token` : 'https://oauth.zaloapp.com/v4/oa/access_token',
        ),
        /** Id of the Zalo app linked to the OA (first part of the webhook MAC). */
        appId: str(env, 'ZALO_APP_ID', sandbox ? '4040123456789012345' : ''),
        /** OA secret key of the webhook (last part of the MAC); the webhook is off while it is empty. */
        oaSecret: str(env, 'ZALO_OA_SECRET', sandbox ? 'zalo-sandbox-oa-secret-0123456789' : ''),
        /** Hosts (and their subdomains) images sent by users may be downloaded from; the sandbox's host is added when it runs. */
        mediaHosts: str(env, 'ZALO_MEDIA_HOSTS', 'zadn.vn,zdn.vn,zalo.me,zaloapp.com')
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
        /** Seconds one call to the OA API or one image download may take. */
        timeoutSeconds: int(env, 'ZALO_TIMEOUT_SECONDS', 10),
      };
    })(),
    dvcqg: {
      /**
       * Endpoint of the national public-service portal (Cổng DVC quốc gia) that receives dossier sync
       * messages (DongBoHoSoMC). Unset: the app's own local portal, mounted at /dvcqg-local and reached
       * over HTTP at PUBLIC_URL/dvcqg-local/api/hoso/dongbo (dev, demo, tests).
       */
      url: env.DVCQG_URL || undefined,
      /**
       * Key exchanged for a session token at the portal's token endpoint (LayMaXacThuc) before any
       * push, pull or file download; the token, not the key, travels as `Authorization: Bearer …`.
       * The local portal requires it at its token endpoint when set (and issues tokens freely when unset).
       */
      apiKey: env.DVCQG_API_KEY || undefined,
      /** Seconds one request to the portal (push, token, one page of the pull, one file) may take. */
      timeoutSeconds: int(env, 'DVCQG_TIMEOUT_SECONDS', 15),
      /** Token endpoint; default: `xacthuc/laymaxacthuc` beside DVCQG_URL's folder (`…/api/xacthuc/laymaxacthuc` for `…/api/hoso/dongbo`). */
      authUrl: env.DVCQG_AUTH_URL || undefined,
      /** Endpoint listing dossiers filed on the portal (pull); default: `hoso/danhsach` in DVCQG_URL's folder. */
      pullUrl: env.DVCQG_PULL_URL || undefined,
      /** Cron of the `dvcqg.pull` job (Vietnam time); empty turns the scheduled pull off. */
      pullCron: env.DVCQG_PULL_CRON ?? '*/5 * * * *',
      /** Records asked per page of the pull (1–100). */
      pullPageSize: Math.min(100, Math.max(1, int(env, 'DVCQG_PULL_PAGE_SIZE', 50))),
    },
    sso: {
      /** Comma-separated keys signing the OIDC provider's cookies (newest first); unset: derived from SESSION_SECRET (HKDF). */
      cookieKeys: (env.SSO_COOKIE_KEYS ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
      /** Requests to /oidc/token one client (from one IP) may make per minute. */
      tokenRateLimitPerMinute: int(env, 'SSO_TOKEN_RATE_LIMIT_PER_MINUTE', 120),
    },
    vneid: (() => {
      const publicUrl = str(env, 'PUBLIC_URL', `http://localhost:${int(env, 'PORT', 3000)}`).replace(/\/+$/, '');
      /** Local stand-in for VNeID mounted at /vneid-sandbox: on by default in demo/dev/test, never implied in production. */
      const sandbox = bool(env, 'VNEID_SANDBOX', !production);
      const issuer = str(env, 'VNEID_ISSUER', `${publicUrl}/vneid-sandbox`).replace(/\/+$/, '');
      return {
        /** VNeID sign-in is offered when an issuer is configured explicitly, or the sandbox runs. */
        enabled: Boolean(env.VNEID_ISSUER) || sandbox,
        sandbox,
        /** OpenID Connect issuer of VNeID (discovery at ISSUER/.well-known/openid-configuration). */
        issuer,
        clientId: str(env, 'VNEID_CLIENT_ID', 'tinhso'),
        /** Client secret registered with VNeID; the sandbox accepts its dev default (never in production). */
        clientSecret: str(env, 'VNEID_CLIENT_SECRET', sandbox ? 'vneid-sandbox-dev-secret-0123456789' : ''),
        scopes: str(env, 'VNEID_SCOPES', 'openid profile phone id_number'),
        /** Claim carrying the 12-digit personal identification number (ID token or userinfo). */
        idNumberClaim: str(env, 'VNEID_ID_NUMBER_CLAIM', 'id_number'),
      };
    })(),
    signing: {
      /** Where agencies' signing keys live: 'pkcs12' (a .p12/.pfx file per agency). */
      provider: str(env, 'SIGNING_PROVIDER', 'pkcs12'),
      /** Folder of `<agency code>.p12` (or .pfx) files. */
      p12Dir: path.resolve(str(env, 'SIGNING_P12_DIR', path.join(dataDir, 'signing', 'agencies'))),
      /** JSON map agency code → file path or { "file", "password" }, for files kept elsewhere; checked before the folder. */
      p12Map: env.SIGNING_P12_MAP || undefined,
      /** Password of the PKCS#12 files; a dev value only in demo mode, required otherwise. */
      p12Password: str(env, 'SIGNING_P12_PASSWORD', bool(env, 'TINHSO_DEMO', !production) ? 'tinhso-demo' : ''),
      /** CA certificates (PEM/DER) trusted when verifying signed PDFs; the demo CA puts its root here. */
      trustDir: path.resolve(str(env, 'SIGNING_TRUST_DIR', path.join(dataDir, 'signing', 'trusted'))),
    },
  };
}

export function assertProductionReady(config: Config): void {
  if (!config.production) return;
  if (config.sessionSecret.length < 32) {
    throw new Error('SESSION_SECRET (≥ 32 ký tự) là bắt buộc khi NODE_ENV=production');
  }
  if (config.dataEncryptionKey.length < 32) {
    throw new Error('DATA_ENCRYPTION_KEY (≥ 32 ký tự) là bắt buộc khi NODE_ENV=production');
  }
  if (config.vneid.enabled && !config.vneid.sandbox && !config.vneid.clientSecret) {
    throw new Error('VNEID_CLIENT_SECRET là bắt buộc khi đăng nhập bằng VNeID được bật (VNEID_ISSUER)');
  }
}
