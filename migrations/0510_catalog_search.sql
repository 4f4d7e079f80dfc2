-- Typo-tolerant catalogue search without a fuzzy scan of every procedure.
--
-- The words of the catalogue (the lexemes of procedure_versions.search_tsv, i.e. folded names and fields)
-- are kept with their "deletion forms": the word itself and the word with one letter left out
-- (sinh → sinh, inh, snh, sih, sin). Two words within one edit (a letter missing, added, changed, or two
-- letters swapped) share a form, so a query word the catalogue does not know ("snh", "dug", "dng") finds
-- its near words ("sinh", "dung", "dang") by primary-key lookups. The search then matches those words
-- through the tsvector GIN index and checks trigram word similarity on the few rows found, instead of
-- computing it for every procedure (catalog.repo.ts).
--
-- Published versions are never changed or deleted, so the words are only ever added (by the trigger
-- below, in the transaction that publishes or imports). Words of earlier versions stay: they only widen
-- the near-word lookup; what matches is always checked against the current version.

create or replace function catalog_word_forms(w text) returns text[]
  language sql immutable parallel safe
  as $$ select array(select w union select left(w, i - 1) || substr(w, i + 1) from generate_series(1, length(w)) i
                      where length(w) > 1) $$;

create table catalog_words (
  form text not null,
  word text not null,
  primary key (form, word)
);

create or replace function catalog_words_add() returns trigger language plpgsql as $$
begin
  insert into catalog_words (form, word)
    select distinct f, w
      from (select distinct unnest(tsvector_to_array(n.search_tsv)) as w from new_versions n) words,
           unnest(catalog_word_forms(w)) f
    on conflict do nothing;
  return null;
end $$;

create trigger procedure_versions_words after insert on procedure_versions
  referencing new table as new_versions for each statement execute function catalog_words_add();

insert into catalog_words (form, word)
  select distinct f, w
    from (select distinct unnest(tsvector_to_array(v.search_tsv)) as w from procedure_versions v) words,
         unnest(catalog_word_forms(w)) f
  on conflict do nothing;

analyze catalog_words;

-- Ranking computes similarity(query, name_fold) for every match; when the query is a phrase of the name
-- that is |trigrams(query)| / |trigrams(name)|, so the latter is stored once per version (catalog.repo.ts).
-- (Adding a column rewrites the table without firing the row triggers that keep versions immutable.)
alter table procedure_versions
  add column name_trgm int generated always as (cardinality(show_trgm(regexp_replace(catalog_fold(name), '^thu tuc ', '')))) stored;
