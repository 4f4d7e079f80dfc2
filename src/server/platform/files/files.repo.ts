/**
 * All SQL of the files block.
 */
import { and, eq, type SQL } from 'drizzle-orm';
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
     * The file with this id, limited to one uploader's files unless `uploadedBy` is 'any'.
     * A malformed id is simply not found (never a database error).
     */
    async find(id: string, uploadedBy: string | 'any', tx?: Orm): Promise<FileRow | undefined> {
      if (!UUID_RE.test(id)) return undefined;
      const where: SQL | undefined = uploadedBy === 'any' ? eq(files.id, id) : and(eq(files.id, id), eq(files.uploadedBy, uploadedBy));
      const [row] = await (tx ?? db.orm).select().from(files).where(where).limit(1);
      return row;
    },
  };
}

export type FilesRepo = ReturnType<typeof filesRepo>;
