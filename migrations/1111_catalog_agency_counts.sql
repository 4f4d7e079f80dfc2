-- Procedures in force per implementing agency: the agency facet of the catalogue browsed without a filter.
--
-- Counting it meant joining every procedure-agency pair (9,840 for 2,000 procedures) on every visit of the
-- catalogue's first page, ~4.5 ms of the statement. Triggers keep the counts in the transaction that changes an
-- agency list (publish, import) or a procedure's status (retire), so they are exact (catalog.repo.ts agencyFacet).

create table catalog_agency_counts (
  agency_id  uuid primary key references agencies(id),
  procedures int not null check (procedures >= 0)
);

create or replace function catalog_agency_counts_added() returns trigger language plpgsql as $$
begin
  insert into catalog_agency_counts (agency_id, procedures)
    select n.agency_id, count(*) from new_pairs n join procedures p on p.id = n.procedure_id
     where p.status = 'active' group by n.agency_id
  on conflict (agency_id) do update set procedures = catalog_agency_counts.procedures + excluded.procedures;
  return null;
end $$;

create or replace function catalog_agency_counts_removed() returns trigger language plpgsql as $$
begin
  update catalog_agency_counts c set procedures = c.procedures - o.n
    from (select o.agency_id, count(*) as n from old_pairs o join procedures p on p.id = o.procedure_id
           where p.status = 'active' group by o.agency_id) o
   where c.agency_id = o.agency_id;
  return null;
end $$;

create or replace function catalog_agency_counts_status() returns trigger language plpgsql as $$
declare
  delta int := case when new.status = 'active' then 1 else -1 end;
begin
  insert into catalog_agency_counts (agency_id, procedures)
    select pa.agency_id, greatest(delta, 0) from procedure_agencies pa where pa.procedure_id = new.id
  on conflict (agency_id) do update set procedures = catalog_agency_counts.procedures + delta;
  return null;
end $$;

create trigger procedure_agencies_counted_in after insert on procedure_agencies
  referencing new table as new_pairs for each statement execute function catalog_agency_counts_added();
create trigger procedure_agencies_counted_out after delete on procedure_agencies
  referencing old table as old_pairs for each statement execute function catalog_agency_counts_removed();
create trigger procedures_counted after update of status on procedures
  for each row when (old.status is distinct from new.status) execute function catalog_agency_counts_status();

insert into catalog_agency_counts (agency_id, procedures)
  select pa.agency_id, count(*) filter (where p.status = 'active')
    from procedure_agencies pa join procedures p on p.id = pa.procedure_id group by pa.agency_id;
