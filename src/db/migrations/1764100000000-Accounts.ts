import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnsFor } from './columns';

/** Accounts, tokens, guides' links, the audit log, and the erasure mark on seniors. */
export class Accounts1764100000000 implements MigrationInterface {
  name = 'Accounts1764100000000';

  async up(q: QueryRunner): Promise<void> {
    const { id, str, at, fk } = columnsFor(q);

    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          str('email', 254),
          str('password_hash', 200),
          str('role', 20),
          str('organisation_id', 36, true),
          { name: 'active', type: 'boolean' },
          at('last_login_at', true),
          at('created_at'),
          at('updated_at'),
        ],
        foreignKeys: [fk('organisation_id', 'organisations')],
        indices: [new TableIndex({ columnNames: ['email'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'auth_tokens',
        columns: [
          id(),
          str('user_id', 36),
          str('kind', 10),
          str('name', 100, true),
          str('token_hash', 64),
          at('expires_at', true),
          at('revoked_at', true),
          at('last_used_at', true),
          at('created_at'),
        ],
        foreignKeys: [fk('user_id', 'users', 'CASCADE')],
        indices: [
          new TableIndex({ columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ columnNames: ['user_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'guide_links',
        columns: [
          id(),
          str('guide_id', 36),
          str('purpose', 20),
          at('expires_at'),
          at('revoked_at', true),
          at('created_at'),
        ],
        foreignKeys: [fk('guide_id', 'guides', 'CASCADE')],
        indices: [new TableIndex({ columnNames: ['guide_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          id(),
          at('at'),
          str('actor_type', 10),
          str('actor_id', 36, true),
          str('municipality_id', 36, true),
          str('action', 60),
          str('entity_type', 30),
          str('entity_id', 36),
          { name: 'fields', type: 'text' },
        ],
        indices: [
          new TableIndex({ columnNames: ['municipality_id', 'at'] }),
          new TableIndex({ columnNames: ['entity_type', 'entity_id'] }),
        ],
      }),
    );
    await q.addColumn('seniors', new TableColumn(at('erased_at', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('seniors', 'erased_at');
    for (const table of ['audit_log', 'guide_links', 'auth_tokens', 'users']) await q.dropTable(table);
  }
}
