-- E-data store (kho dữ liệu điện tử của tổ chức, cá nhân): the papers a citizen or a business already has,
-- kept once and reused in dossiers ("nộp một lần"). Module `edata`; see docs/edata.md.
--
-- A store is a citizen's (owner_account_id) or a business's (owner_business_id, parties module, 1020);
-- who may act for a business is decided by the parties module's canActFor.
create table edata_documents (
  id                uuid primary key default gen_random_uuid(),
  owner_account_id  uuid references accounts(id),
  owner_business_id uuid references businesses(id),
  doc_type          text not null check (doc_type in (
                      'cccd', 'giay_khai_sinh', 'giay_chung_nhan_ket_hon', 'gcn_quyen_su_dung_dat', 'giay_phep_xay_dung',
                      'giay_chung_nhan_dkkd', 'bang_cap', 'giay_kham_suc_khoe', 'ket_qua_tthc', 'khac')),
  title             text not null check (length(title) between 1 and 300),
  number            text check (length(number) <= 100),
  issuer            text check (length(issuer) <= 300),
  issued_on         date,
  valid_until       date,
  file_id           uuid not null references files(id),
  -- upload = the owner uploaded it; result = e-result issued by the platform (immutable);
  -- counter = scanned at the one-stop desk when a paper dossier was received.
  source            text not null check (source in ('upload', 'result', 'counter')),
  -- The dossier a result or a counter scan came from (no foreign key: another module's table).
  dossier_id        uuid,
  dossier_code      text,
  created_by        uuid,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  deleted_at        timestamptz,
  check ((owner_account_id is null) <> (owner_business_id is null)),
  check (valid_until is null or issued_on is null or valid_until >= issued_on),
  check (source = 'upload' or dossier_id is not null),
  check (source <> 'result' or deleted_at is null)
);
-- A store, newest first (the list and its keyset pagination).
create index edata_documents_account_idx on edata_documents (owner_account_id, created_at desc, id desc) where deleted_at is null;
create index edata_documents_business_idx on edata_documents (owner_business_id, created_at desc, id desc) where deleted_at is null;
-- A file read through a dossier: which store documents hold it.
create index edata_documents_file_idx on edata_documents (file_id);
-- One store entry per e-result of a dossier (the hook may run again on a retried action).
create unique index edata_documents_result_uq on edata_documents (dossier_id, file_id) where source = 'result';

-- Who read or used which document, when, through which dossier. Append-only.
create table edata_access_log (
  id                uuid primary key default gen_random_uuid(),
  document_id       uuid not null references edata_documents(id),
  -- The store's owner, copied so the whole store's log is one index scan.
  owner_account_id  uuid,
  owner_business_id uuid,
  at                timestamptz not null default now(),
  actor_account_id  uuid,
  actor_label       text not null,
  -- The agency of an officer who read it through a dossier.
  actor_agency      text,
  action            text not null check (action in (
                      'view', 'download', 'reuse', 'share_created', 'share_opened', 'share_revoked', 'deleted')),
  dossier_id        uuid,
  dossier_code      text
);
create index edata_access_log_document_idx on edata_access_log (document_id, at desc, id desc);
create index edata_access_log_account_idx on edata_access_log (owner_account_id, at desc, id desc) where owner_account_id is not null;
create index edata_access_log_business_idx on edata_access_log (owner_business_id, at desc, id desc) where owner_business_id is not null;

-- Time-limited links to one document. Only the SHA-256 of the token is stored.
create table edata_shares (
  id            uuid primary key default gen_random_uuid(),
  document_id   uuid not null references edata_documents(id),
  token_hash    text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  expires_at    timestamptz not null,
  created_by    uuid,
  created_at    timestamptz not null default now(),
  revoked_at    timestamptz,
  opened_count  int not null default 0
);
create index edata_shares_document_idx on edata_shares (document_id, created_at desc);
