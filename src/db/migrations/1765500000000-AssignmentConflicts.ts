import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * What keeps a guide from a session they are on, found when something changed after it was
 * planned (the café moved, the guide's hours or times changed): the week page and the
 * coordinators' digest show it until someone acts. Null while nothing does.
 */
export class AssignmentConflicts1765500000000 implements MigrationInterface {
  name = 'AssignmentConflicts1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('assignments', new TableColumn({ name: 'conflict', type: 'text', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('assignments', 'conflict');
  }
}
