/**
 * The wizard's draft on the server: the first save creates it (POST), later saves send the changes with
 * the version they start from (PATCH; 409 if it changed elsewhere). Saves run one after another, so a
 * quick second click never races the first; `dirty` says whether something typed is not saved yet.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { createDraft, DOSSIERS, MINE, updateDraft } from './api';
import { type DraftState, draftBody } from './draft';
import type { DossierDetail, Procedure } from './types';

export interface Draft {
  state: DraftState;
  id: string | null;
  version: number;
  dirty: boolean;
  saving: boolean;
  savedAt: Date | null;
  update: (change: Partial<DraftState> | ((s: DraftState) => Partial<DraftState>)) => void;
  /** Saves if there is anything to save (or always with `force`); resolves with the saved dossier. */
  save: (force?: boolean) => Promise<DossierDetail | null>;
}

export function useDraft(
  procedure: Procedure,
  initial: DraftState,
  saved: DossierDetail | null,
  onCreated: (d: DossierDetail) => void,
): Draft {
  const qc = useQueryClient();
  const [state, setState] = useState(initial);
  const [meta, setMeta] = useState({ id: saved?.id ?? null, version: saved?.version ?? 0 });
  // Nothing typed yet is nothing to lose (a new draft is still created by its first save).
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  // Refs so a save started now sends what is on screen now, and the queue sees the last version.
  const stateRef = useRef(state);
  const metaRef = useRef(meta);
  const changes = useRef(0);
  const queue = useRef<Promise<unknown>>(Promise.resolve());

  const update = useCallback<Draft['update']>((change) => {
    const next = { ...stateRef.current, ...(typeof change === 'function' ? change(stateRef.current) : change) };
    stateRef.current = next;
    changes.current++;
    setState(next);
    setDirty(true);
  }, []);

  const saveNow = useCallback(
    async (force: boolean): Promise<DossierDetail | null> => {
      const startedAt = changes.current;
      if (!force && startedAt === 0 && metaRef.current.id) return null;
      const body = draftBody(procedure, stateRef.current);
      const { id, version } = metaRef.current;
      setSaving(true);
      try {
        const d = id ? await updateDraft(id, { ...body, version }) : await createDraft({ procedureId: procedure.id, ...body });
        metaRef.current = { id: d.id, version: d.version };
        setMeta(metaRef.current);
        qc.setQueryData([DOSSIERS, d.id], d);
        void qc.invalidateQueries({ queryKey: [MINE] });
        if (!id) onCreated(d);
        // Only what was on screen when the save started is saved.
        if (changes.current === startedAt) {
          changes.current = 0;
          setDirty(false);
        } else changes.current -= startedAt;
        setSavedAt(new Date());
        return d;
      } finally {
        setSaving(false);
      }
    },
    [procedure, qc, onCreated],
  );

  const save = useCallback(
    (force = false) => {
      const run = queue.current.then(
        () => saveNow(force),
        () => saveNow(force),
      );
      queue.current = run.catch(() => undefined);
      return run;
    },
    [saveNow],
  );

  return { state, id: meta.id, version: meta.version, dirty, saving, savedAt, update, save };
}
