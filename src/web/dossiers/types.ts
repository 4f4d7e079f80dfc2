/**
 * The dossier contract as the web app sees it: types from the server's schemas (type-only, so nothing
 * of the server is bundled) and the few constants the pages need.
 */
import type {
  DossierDetail,
  DossierFile,
  DossierState,
  DossierSummary,
  FileRef,
  FormValues,
  LookupBody,
  PublicDossier,
  SupplementBody,
  SupplementItem,
  TimelineEntry,
  UpdateDraftBody,
} from '../../server/modules/dossiers/dossiers.schemas';
import type { Component, Delivery, FormField, Procedure } from '../catalog/catalog';

export type {
  Component,
  Delivery,
  DossierDetail,
  DossierFile,
  DossierState,
  DossierSummary,
  FileRef,
  FormField,
  FormValues,
  LookupBody,
  Procedure,
  PublicDossier,
  SupplementBody,
  SupplementItem,
  TimelineEntry,
  UpdateDraftBody,
};

export type NotifyChannel = NonNullable<DossierDetail['notifyChannel']>;
/** The draft fields the wizard edits (everything of UpdateDraftBody but the version). */
export type DraftFields = Omit<UpdateDraftBody, 'version'>;

/** Every state, in the order a dossier goes through them (filter of "my dossiers"). */
export const dossierStates = [
  'draft',
  'submitted',
  'supplement_requested',
  'received',
  'refused',
  'withdrawn',
] as const satisfies readonly DossierState[];

export const notifyChannels = ['email', 'sms', 'zalo'] as const satisfies readonly NotifyChannel[];

/** Component key of the papers the office issues (Mẫu 01/02/03). */
export const ISSUED = '_issued';

/** {agency code}-{YYMMDD}-{NNNN}, as the server checks it. */
export const DOSSIER_CODE_RE = /^[A-Za-z0-9.]+-[0-9]{6}-[0-9]{4,}$/;
