import { type QueryRunner, type TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Column builders for hand-written migrations, the same on sqlite and PostgreSQL but for the
 * instant type. Kept deliberately plain: a migration that has run must keep meaning the same.
 */
export function columnsFor(q: QueryRunner) {
  const instant = q.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
  const at = (name: string, nullable = false): TableColumnOptions => ({ name, type: instant, isNullable: nullable });
  return {
    id: (): TableColumnOptions => ({ name: 'id', type: 'varchar', length: '36', isPrimary: true }),
    ref: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: '36',
      isNullable: nullable,
    }),
    str: (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    }),
    int: (name: string): TableColumnOptions => ({ name, type: 'integer' }),
    date: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'date', isNullable: nullable }),
    at,
    bool: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'boolean', isNullable: nullable }),
    text: (name: string): TableColumnOptions => ({ name, type: 'text' }),
    stamps: () => [at('created_at'), at('updated_at')],
    fk: (column: string, referencedTableName: string, onDelete?: 'CASCADE') =>
      new TableForeignKey({ columnNames: [column], referencedTableName, referencedColumnNames: ['id'], onDelete }),
    index: (columnNames: string[], isUnique = false) => new TableIndex({ columnNames, isUnique }),
  };
}
