-- Uploaded files (platform block `files`). Only metadata lives here; the bytes are in the blob store
-- (local folder or S3), named by their SHA-256, so identical uploads share one blob.
create table files (
  id            uuid primary key default gen_random_uuid(),
  sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size          bigint not null check (size >= 0),
  media_type    text not null,                 -- sniffed from the bytes, never taken from the client
  original_name text not null,                 -- as uploaded, cleaned of paths and control characters
  uploaded_by   uuid,                          -- account; null for system uploads. No foreign key:
                                               -- platform blocks do not depend on module tables
  created_at    timestamptz not null default now()
);
create index files_uploaded_by_idx on files (uploaded_by, created_at desc);
-- Whether a blob is still referenced (before deleting it from the store).
create index files_sha256_idx on files (sha256);
