-- Which version of a data seed was applied last, so a restart does not redo an unchanged demo seed.
create table seed_runs (
  name        text primary key,
  fingerprint text not null,
  applied_at  timestamptz not null default now()
);
