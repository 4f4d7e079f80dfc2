-- The searchable columns of each procedure's version in force, one narrow row per procedure.
--
-- Search and browsing read every procedure in force (browsing, facets) or check a few hundred matches
-- (ranking), and did so by joining procedures to procedure_versions, whose rows carry the forms, components
-- and fees (about 2 KB each, 478 pages for 2,000 procedures, and every earlier version besides). These rows
-- hold only what search filters, ranks and counts on (~600 bytes), so the same scans read a quarter of the
-- pages and need no join (catalog.repo.ts). Triggers keep them: a row is (re)written whenever a procedure's
-- current version, status or code changes, or the version it points at is written (a procedure and its first
-- version may be inserted in either order within one transaction).

create table procedure_search (
  procedure_id uuid primary key references procedures(id) on delete cascade,
  code         text not null,
  status       text not null,
  version      int not null,
  field        text not null,
  level        text not null,
  online_level text not null,
  name_fold    text not null,
  search       text not null,
  search_tsv   tsvector not null,
  name_trgm    int not null
);
create index procedure_search_trgm_idx on procedure_search using gin (search gin_trgm_ops);
create index procedure_search_tsv_idx on procedure_search using gin (search_tsv);
create index procedure_search_code_idx on procedure_search (code text_pattern_ops);
-- Browsing without a query: the first page in name order is read from here.
create index procedure_search_name_idx on procedure_search (name_fold, code);

create or replace function procedure_search_write(id uuid) returns void language sql as $$
  insert into procedure_search (procedure_id, code, status, version, field, level, online_level, name_fold, search, search_tsv, name_trgm)
  select p.id, p.code, p.status, v.version, v.field, v.level, v.online_level, v.name_fold, v.search, v.search_tsv, v.name_trgm
    from procedures p join procedure_versions v on v.procedure_id = p.id and v.version = p.current_version
   where p.id = procedure_search_write.id
  on conflict (procedure_id) do update
    set code = excluded.code, status = excluded.status, version = excluded.version, field = excluded.field,
        level = excluded.level, online_level = excluded.online_level, name_fold = excluded.name_fold,
        search = excluded.search, search_tsv = excluded.search_tsv, name_trgm = excluded.name_trgm
$$;

create or replace function procedure_search_from_procedure() returns trigger language plpgsql as $$
begin
  perform procedure_search_write(new.id);
  return null;
end $$;

create or replace function procedure_search_from_version() returns trigger language plpgsql as $$
begin
  perform procedure_search_write(new.procedure_id);
  return null;
end $$;

create trigger procedures_search after insert or update of current_version, status, code on procedures
  for each row execute function procedure_search_from_procedure();
create trigger procedure_versions_search after insert on procedure_versions
  for each row execute function procedure_search_from_version();

insert into procedure_search (procedure_id, code, status, version, field, level, online_level, name_fold, search, search_tsv, name_trgm)
  select p.id, p.code, p.status, v.version, v.field, v.level, v.online_level, v.name_fold, v.search, v.search_tsv, v.name_trgm
    from procedures p join procedure_versions v on v.procedure_id = p.id and v.version = p.current_version;

analyze procedure_search;
