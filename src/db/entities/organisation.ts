import { Column, Entity, Index } from 'typeorm';
import { IdColumn, InstantColumn, RefTo } from '../columns';
import type { ConflictPolicy, OrganisationKind, ReportingPeriod } from '../../domain/vocabulary';

/** A municipality (kommun) or a contractor association (förening). */
@Entity('organisations')
export class Organisation {
  @IdColumn() id: string;
  @Column('varchar', { length: 20 }) kind: OrganisationKind;
  @Column('varchar', { length: 200 }) name: string;
  /** Where reports go (municipality) or the sender name's reply-to (association). A role address, not a person's. */
  @Column('varchar', { length: 254, nullable: true }) contactEmail: string | null;
  /** A municipality's zone: its new cafés' default. Europe/Stockholm for every Swedish one. */
  @Column('varchar', { length: 64, default: 'Europe/Stockholm' }) timeZone: string;
  /**
   * A municipality's choice when a change keeps a guide from a published café: 'ask' the
   * coordinator (with ranked substitutes ready) or 'release' the place at once, as after a decline.
   */
  @Column('varchar', { length: 10, default: 'ask' }) conflictPolicy: ConflictPolicy;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
}

/** The procurement contract (upphandlingsavtal) under which an association runs a municipality's cafés. */
@Entity('contracts')
@Index(['municipalityId'])
@Index(['associationId'])
export class Contract {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('varchar', { length: 36 }) associationId: string;
  @Column('varchar', { length: 100, nullable: true }) reference: string | null;
  @Column('date') startsOn: string;
  @Column('date') endsOn: string;
  @Column('varchar', { length: 10 }) reportingPeriod: ReportingPeriod;
  /** The hourly basis of the invoice in öre (SEK × 100), if the contract has one. */
  @Column('integer', { nullable: true }) hourlyRateOre: number | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
  @RefTo(() => Organisation, 'municipality_id') readonly municipality?: Organisation;
  @RefTo(() => Organisation, 'association_id') readonly association?: Organisation;
}
