-- Process definitions (quy trình giải quyết) as data: for each procedure, numbered versions of a
-- definition (states, actions, roles, time budgets, parallel branches) stored as JSON.
--
-- A version is a draft while it is edited (at most one per procedure) and becomes immutable when it is
-- published: a dossier pins (workflow_id, version) at reception and keeps reading the rules it started
-- under. workflows.current_version is the latest published version (null before the first one).

create table workflows (
  id              uuid primary key,
  procedure_id    uuid not null unique references procedures(id),
  current_version int check (current_version >= 1),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);

create table workflow_versions (
  workflow_id          uuid not null references workflows(id),
  version              int not null check (version >= 1),
  status               text not null check (status in ('draft', 'published')),
  -- { states: [...], start, actions: [...], branches: [...] } (workflows.schemas.ts, docs/workflows.md).
  definition           jsonb not null check (jsonb_typeof(definition) = 'object'),
  -- The procedure version whose legal time (processing_hours) the definition was checked against.
  procedure_version    int not null check (procedure_version >= 1),
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  updated_by           text not null,
  published_at         timestamptz,
  published_by         text,
  published_by_account uuid references accounts(id),
  primary key (workflow_id, version),
  check ((status = 'published') = (published_at is not null and published_by is not null))
);
-- One draft at a time per procedure.
create unique index workflow_versions_one_draft_idx on workflow_versions (workflow_id) where status = 'draft';

alter table workflows add constraint workflows_current_version_fk
  foreign key (id, current_version) references workflow_versions (workflow_id, version) deferrable initially deferred;

-- Published versions are immutable (a correction is published as a new version); drafts may be edited,
-- published (draft → published) or discarded.
create or replace function workflow_versions_immutable() returns trigger language plpgsql as $$
begin
  if old.status = 'published' then
    raise exception 'workflow_versions: published version % of workflow % is immutable', old.version, old.workflow_id;
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end $$;
create trigger workflow_versions_no_change before update or delete on workflow_versions
  for each row execute function workflow_versions_immutable();
