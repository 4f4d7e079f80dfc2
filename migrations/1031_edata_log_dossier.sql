-- Reuse entries written while the dossier is still a draft have no dossier code yet; its submission fills it
-- in (edata resultListener). Both lookups — "already reused in this dossier?" and "entries still without a
-- code" — go by dossier.
create index edata_access_log_dossier_idx on edata_access_log (dossier_id) where dossier_id is not null;
