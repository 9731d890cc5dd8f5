import { type MigrationInterface, type QueryRunner, TableColumn, TableForeignKey } from 'typeorm';
import { columnsFor } from './columns';

/** Who helped whom: the guide who helped each senior at a café, where the form or the queue says so. */
export class HelpedBy1766300000000 implements MigrationInterface {
  name = 'HelpedBy1766300000000';

  async up(q: QueryRunner): Promise<void> {
    const { ref } = columnsFor(q);
    await q.addColumn('attendances', new TableColumn(ref('helped_by_guide_id', true)));
    await q.createForeignKey(
      'attendances',
      new TableForeignKey({
        columnNames: ['helped_by_guide_id'],
        referencedTableName: 'guides',
        referencedColumnNames: ['id'],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const table = await q.getTable('attendances');
    const key = table?.foreignKeys.find((k) => k.columnNames.includes('helped_by_guide_id'));
    if (key) await q.dropForeignKey('attendances', key);
    await q.dropColumn('attendances', 'helped_by_guide_id');
  }
}
