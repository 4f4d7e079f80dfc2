/**
 * Demo process definitions: every demo procedure without a workflow gets the standard one-stop process
 * (workflows.defaults.ts) for its legal time, published as version 1. Idempotent: procedures that
 * already have a workflow (published or draft) are left alone.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../../config';
import { recordAudit } from '../../platform/audit/audit';
import { systemContext } from '../../platform/auth/actor';
import type { Database } from '../../platform/db/database';
import { defaultDefinition } from './workflows.defaults';
import { workflowIdFor } from './workflows.repo';

export async function seedDemoWorkflows(db: Database, config: Config): Promise<void> {
  void config;
  const ctx = systemContext('seed');
  await db.orm.transaction(async (tx) => {
    const missing = await db.rows<{ id: string; current_version: number; processing_hours: number | null }>(
      sql`select p.id, p.current_version, v.processing_hours
          from procedures p join procedure_versions v on v.procedure_id = p.id and v.version = p.current_version
          where p.status = 'active' and not exists (select 1 from workflows w where w.procedure_id = p.id)
          order by p.code`,
      tx,
    );
    if (missing.length === 0) return;
    for (const p of missing) {
      const id = workflowIdFor(p.id);
      const definition = JSON.stringify(defaultDefinition(p.processing_hours));
      await db.rows(sql`insert into workflows (id, procedure_id, current_version) values (${id}, ${p.id}, 1)`, tx);
      await db.rows(
        sql`insert into workflow_versions (workflow_id, version, status, definition, procedure_version, updated_by, published_at, published_by)
            values (${id}, 1, 'published', ${definition}::jsonb, ${p.current_version}, ${ctx.actor.label}, now(), ${ctx.actor.label})`,
        tx,
      );
    }
    await recordAudit(tx, ctx, { action: 'workflows.seed', targetType: 'workflow', targetId: null, details: { created: missing.length } });
  });
}
