import { Organisation } from './organisation';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, InstantColumn, RefTo } from '../columns';
import type { Equipment, VenueKind } from '../../domain/vocabulary';

@Entity('venues')
@Index(['municipalityId'])
export class Venue {
  @IdColumn() id: string;
  /** Raised by every change; an edit made on an older copy is refused (409), not lost. */
  @Column('integer', { default: 1 }) version: number;
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('varchar', { length: 200 }) name: string;
  @Column('varchar', { length: 300 }) address: string;
  @Column('varchar', { length: 20 }) kind: VenueKind;
  @Column('integer') seats: number;
  @Column('simple-json') equipment: Equipment[];
  @Column('varchar', { length: 500, nullable: true }) accessibilityNote: string | null;
  /** Seniors who usually drop in without signing up: the planner staffs for them too. */
  @Column('integer') expectedWalkIns: number;
  @Column('boolean') active: boolean;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
  @RefTo(() => Organisation, 'municipality_id') readonly municipality?: Organisation;
}

/** Travel minutes between two venues, stored in both directions. */
@Entity('venue_travel')
export class VenueTravel {
  @PrimaryColumn('varchar', { length: 36 }) fromVenueId: string;
  @PrimaryColumn('varchar', { length: 36 }) toVenueId: string;
  @Column('integer') minutes: number;
  @RefTo(() => Venue, 'from_venue_id', 'CASCADE') readonly fromVenue?: Venue;
  @RefTo(() => Venue, 'to_venue_id', 'CASCADE') readonly toVenue?: Venue;
}

/** A period with no cafés: a school break, a venue's renovation. Inclusive dates. */
@Entity('closures')
@Index(['municipalityId', 'startsOn'])
export class Closure {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) municipalityId: string;
  /** Null: the whole municipality closes. */
  @Column('varchar', { length: 36, nullable: true }) venueId: string | null;
  @Column('varchar', { length: 200 }) name: string;
  @Column('date') startsOn: string;
  @Column('date') endsOn: string;
  @InstantColumn() createdAt: Date;
  @RefTo(() => Organisation, 'municipality_id') readonly municipality?: Organisation;
  @RefTo(() => Venue, 'venue_id') readonly venue?: Venue;
}
