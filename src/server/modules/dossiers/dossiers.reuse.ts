/**
 * "Submit once": what dossiers need from the e-data store, as a port (implemented by the edata module,
 * handed in through DossiersDeps.reuse). Dossiers never read the store's tables.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { RequestContext } from '../../platform/auth/actor';
import type { Orm } from '../../platform/db/database';
import type { FileMeta } from '../../platform/files';
import type { FieldError } from '../../platform/http/problem';
import type { DossierRecord } from './dossiers.state';

/** A component filled from the store: which document, and which file it carries. */
export interface ReuseRef {
  /** Position in the request's files list (for field errors). */
  index: number;
  componentKey: string;
  documentId: string;
  fileId: string;
}

/** The dossier as the store sees it: whose it is and its code. */
export type ReuseDossier = Pick<DossierRecord, 'id' | 'code' | 'ownerAccountId'> & { ownerBusinessId?: string | null };

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const OptionalText = (maxLength: number, description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength, description }), Type.Null()]));
const OptionalDay = (description: string) => Type.Optional(Type.Union([Type.String({ format: 'date', description }), Type.Null()]));

/** A scan made at the counter, for the applicant's store. */
export const CounterScanBody = Type.Object(
  {
    fileId: Type.String({ pattern: UUID_PATTERN, description: 'Tệp bản quét: do cán bộ tải lên, hoặc một tệp của hồ sơ' }),
    type: Type.String({ pattern: '^[a-z][a-z_]{1,39}$', description: 'Loại giấy tờ (danh mục GET /api/v1/edata/types)' }),
    title: Type.String({ minLength: 1, maxLength: 300, description: 'Tên giấy tờ' }),
    number: OptionalText(100, 'Số, ký hiệu'),
    issuer: OptionalText(300, 'Cơ quan cấp'),
    issuedOn: OptionalDay('Ngày cấp'),
    validUntil: OptionalDay('Có giá trị đến'),
  },
  { additionalProperties: false },
);
export type CounterScan = Static<typeof CounterScanBody>;

export interface ReusePort {
  /**
   * The files of the store documents named in a request, if the actor may use them for this procedure
   * (live, not expired, owned by someone the actor may act for, carrying that file). Field errors are
   * named `${field}/${index}/…`.
   */
  resolve(
    ctx: RequestContext,
    refs: ReuseRef[],
    procedureCode: string,
    field: string,
  ): Promise<{ metas: Map<string, FileMeta>; errors: FieldError[] }>;
  /**
   * In the transaction that attaches them: the documents must belong to the dossier's owner (else a
   * validation problem rolls it back); records a 'reuse' access entry per document and dossier.
   */
  recordReuse(tx: Orm, ctx: RequestContext, dossier: ReuseDossier, refs: ReuseRef[], field: string): Promise<void>;
  /** Someone other than the owner opened a reused file through the dossier: 'view' or 'download' in the owner's log. */
  recordRead(ctx: RequestContext, dossier: ReuseDossier, fileId: string, action: 'view' | 'download'): Promise<void>;
  /** The desk saves a scan made at the counter into the store of the dossier's owner; the new document's id. */
  saveCounterScan(tx: Orm, ctx: RequestContext, dossier: ReuseDossier, scan: CounterScan): Promise<string>;
}

/** The refs of a files list that name a store document. */
export function reuseRefsOf(files: { componentKey: string; fileId: string; edataDocumentId?: string }[] | undefined): ReuseRef[] {
  return (files ?? []).flatMap((f, index) =>
    f.edataDocumentId
      ? [{ index, componentKey: f.componentKey, documentId: f.edataDocumentId.toLowerCase(), fileId: f.fileId.toLowerCase() }]
      : [],
  );
}
