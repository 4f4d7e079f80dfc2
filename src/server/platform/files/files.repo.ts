/**
 * All SQL of the files block.
 */
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Database, Orm } from '../db/database';
import { type FileRow, files, type NewFileRow } from './files.tables';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function filesRepo(db: Database) {
  return {
    async insert(row: NewFileRow, tx?: Orm): Promise<FileRow> {
      const [created] = await (tx ?? db.orm).insert(files).values(row).returning();
      if (!created) throw new Error('insert into files returned no row');
      return created;
    },

    /**
     * Inserts the row and runs `then` (a SELECT: the audit append) in the same single statement, so both
     * commit together without an explicit transaction and without a round trip to Node in between.
     */
    async insertWith(
      row: Required<Pick<NewFileRow, 'id' | 'sha256' | 'size' | 'mediaType' | 'originalName'>> & Pick<NewFileRow, 'uploadedBy'>,
      then: SQL,
    ): Promise<FileRow> {
      const [created] = await db.rows<FileRow>(
        sql`with f as (
              insert into files (id, sha256, size, media_type, original_name, uploaded_by)
              values (${row.id}, ${row.sha256}, ${row.size}, ${row.mediaType}, ${row.originalName}, ${row.uploadedBy ?? null})
              returning id, sha256, size, media_type as "mediaType", original_name as "originalName",
                        uploaded_by as "uploadedBy", created_at as "createdAt"),
            logged as (${then})
            select f.* from f cross join logged`,
      );
      if (!created) throw new Error('insert into files returned no row');
      return created;
    },

    /**
     * The file with this id, limited to one uploader's files unless `uploadedBy` is 'any'.
     * A malformed id is simply not found (never a database error).
     */
    async find(id: string, uploadedBy: string | 'any', tx?: Orm): Promise<FileRow | undefined> {
      if (!UUID_RE.test(id)) return undefined;
      const where: SQL | undefined = uploadedBy === 'any' ? eq(files.id, id) : and(eq(files.id, id), eq(files.uploadedBy, uploadedBy));
      const [row] = await (tx ?? db.orm).select().from(files).where(where).limit(1);
      return row;
    },

    /** Several files by id in one query, limited as in find(); malformed or unknown ids are left out. */
    async findMany(ids: string[], uploadedBy: string | 'any', tx?: Orm): Promise<FileRow[]> {
      const valid = [...new Set(ids.filter((id) => UUID_RE.test(id)))];
      if (!valid.length) return [];
      const byId = inArray(files.id, valid);
      const where: SQL | undefined = uploadedBy === 'any' ? byId : and(byId, eq(files.uploadedBy, uploadedBy));
      return (tx ?? db.orm).select().from(files).where(where);
    },
  };
}

export type FilesRepo = ReturnType<typeof filesRepo>;
