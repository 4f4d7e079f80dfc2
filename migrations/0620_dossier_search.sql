-- Office searches "by code or applicant name" (reception queue, work queue): trigram indexes so a
-- substring search does not read every dossier (10,000 in one agency's queue took ~100 ms).
create index dossiers_code_trgm_idx on dossiers using gin (code gin_trgm_ops);
create index dossiers_applicant_fold_trgm_idx on dossiers using gin (vn_fold(applicant_name) gin_trgm_ops);
