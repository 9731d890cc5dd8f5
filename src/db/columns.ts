import { randomUUID } from 'node:crypto';
import { Column, type ColumnOptions, JoinColumn, ManyToOne, type ObjectType, PrimaryColumn } from 'typeorm';

/**
 * Column helpers that mean the same on sqlite and PostgreSQL. Entity decorators run when
 * their module loads, so the dialect is read from the environment then (as medusa does).
 */
export function isPostgresUrl(url: string | undefined): boolean {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

export const dialect = (): 'postgres' | 'sqlite' => (isPostgresUrl(process.env.DATABASE_URL) ? 'postgres' : 'sqlite');

/** An instant: `timestamptz` on PostgreSQL, `datetime` (stored as UTC text by TypeORM) on sqlite. */
export const instantType = () => (dialect() === 'postgres' ? 'timestamptz' : 'datetime');

export function InstantColumn(options: ColumnOptions = {}) {
  return Column({ ...options, type: instantType() } as ColumnOptions);
}

/** Primary keys are UUIDs made by the application: no dialect-specific generator, nothing to enumerate. */
export function IdColumn() {
  return PrimaryColumn('varchar', { length: 36 });
}

export const newId = () => randomUUID();

/**
 * A foreign key on an id column kept beside it (`municipalityId` + `municipality`), so the
 * migrations and the entities describe the same constraint. The relation is never loaded.
 */
export function RefTo(target: () => ObjectType<unknown>, column: string, onDelete?: 'CASCADE') {
  return (proto: object, property: string) => {
    ManyToOne(target, { onDelete, nullable: true })(proto, property);
    JoinColumn({ name: column })(proto, property);
  };
}
