import { Organisation } from './organisation';
import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';
import { IdColumn, InstantColumn, RefTo } from '../columns';
import type { LanguageLevel, Platform, SkillLevel, Topic } from '../../domain/vocabulary';

@Entity('guides')
@Index(['municipalityId'])
@Index(['associationId'])
export class Guide {
  @IdColumn() id: string;
  /** Raised by every change; an edit made on an older copy is refused (409), not lost. */
  @Column('integer', { default: 1 }) version: number;
  /** The employer. */
  @Column('varchar', { length: 36 }) associationId: string;
  /** Where the guide works. */
  @Column('varchar', { length: 36 }) municipalityId: string;
  @Column('varchar', { length: 200 }) name: string;
  @Column('varchar', { length: 254 }) email: string;
  @Column('varchar', { length: 40, nullable: true }) phone: string | null;
  @Column('varchar', { length: 200, nullable: true }) school: string | null;
  @Column('varchar', { length: 200, nullable: true }) programme: string | null;
  @Column('varchar', { length: 10 }) swedishLevel: LanguageLevel;
  @Column('date') startDate: string;
  /** The last day of the guide's contract: after it they are not planned, and published sessions go to others. */
  @Column('date', { nullable: true }) endDate: string | null;
  /** What the guide can help with (BankID, Swish, 1177 …). */
  @Column('simple-json', { default: '[]' }) topics: Topic[];
  @Column('integer') maxMinutesPerWeek: number;
  @Column('boolean') active: boolean;
  /** When a coordinator last corrected the e-mail address: answer links mailed before stop working. */
  @InstantColumn({ nullable: true }) addressChangedAt: Date | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;

  @OneToMany(() => GuidePlatform, (p) => p.guide, { cascade: true }) platforms: GuidePlatform[];
  @OneToMany(() => GuideLanguage, (l) => l.guide, { cascade: true }) languages: GuideLanguage[];
  @OneToMany(() => GuideAvailability, (a) => a.guide, { cascade: true }) availability: GuideAvailability[];
  @OneToMany(() => GuideUnavailableDate, (u) => u.guide, { cascade: true }) unavailableDates: GuideUnavailableDate[];
  @RefTo(() => Organisation, 'association_id') readonly association?: Organisation;
  @RefTo(() => Organisation, 'municipality_id') readonly municipality?: Organisation;
}

@Entity('guide_platforms')
@Index(['platform'])
export class GuidePlatform {
  @PrimaryColumn('varchar', { length: 36 }) guideId: string;
  @PrimaryColumn('varchar', { length: 20 }) platform: Platform;
  @Column('varchar', { length: 10 }) level: SkillLevel;
  @ManyToOne(() => Guide, (g) => g.platforms, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'guide_id' })
  guide: Guide;
}

@Entity('guide_languages')
@Index(['language'])
export class GuideLanguage {
  @PrimaryColumn('varchar', { length: 36 }) guideId: string;
  @PrimaryColumn('varchar', { length: 10 }) language: string;
  @Column('varchar', { length: 10 }) level: LanguageLevel;
  @ManyToOne(() => Guide, (g) => g.languages, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'guide_id' })
  guide: Guide;
}

/** A weekly window, local wall-clock time in the guide's municipality (Europe/Stockholm). */
@Entity('guide_availability')
@Index(['guideId'])
export class GuideAvailability {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) guideId: string;
  @Column('integer') weekday: number;
  @Column('varchar', { length: 5 }) startTime: string;
  @Column('varchar', { length: 5 }) endTime: string;
  /** The period the window holds for (a term's timetable); open-ended where null. */
  @Column('date', { nullable: true }) validFrom: string | null;
  @Column('date', { nullable: true }) validTo: string | null;
  @ManyToOne(() => Guide, (g) => g.availability, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'guide_id' })
  guide: Guide;
}

@Entity('guide_unavailable_dates')
export class GuideUnavailableDate {
  @PrimaryColumn('varchar', { length: 36 }) guideId: string;
  @PrimaryColumn('date') date: string;
  @Column('varchar', { length: 200, nullable: true }) reason: string | null;
  @ManyToOne(() => Guide, (g) => g.unavailableDates, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'guide_id' })
  guide: Guide;
}
