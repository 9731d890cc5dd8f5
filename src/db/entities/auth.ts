import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn, InstantColumn, RefTo } from '../columns';
import type { Role } from '../../domain/access';
import { Organisation } from './organisation';
import { Guide } from './guide';

@Entity('users')
@Index(['email'], { unique: true })
export class User {
  @IdColumn() id: string;
  /** Lower-cased. */
  @Column('varchar', { length: 254 }) email: string;
  @Column('varchar', { length: 200 }) passwordHash: string;
  @Column('varchar', { length: 20 }) role: Role;
  /** Null for an admin of the installation. */
  @Column('varchar', { length: 36, nullable: true }) organisationId: string | null;
  @Column('boolean') active: boolean;
  @InstantColumn({ nullable: true }) lastLoginAt: Date | null;
  @InstantColumn() createdAt: Date;
  @InstantColumn() updatedAt: Date;
  @RefTo(() => Organisation, 'organisation_id') readonly organisation?: Organisation;
}

/** A login session or an API token. Only the token's SHA-256 is kept. */
@Entity('auth_tokens')
@Index(['tokenHash'], { unique: true })
@Index(['userId'])
export class AuthToken {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) userId: string;
  @Column('varchar', { length: 10 }) kind: 'session' | 'api';
  /** What an API token is for, e.g. "Rapportexport till kommunen". */
  @Column('varchar', { length: 100, nullable: true }) name: string | null;
  @Column('varchar', { length: 64 }) tokenHash: string;
  @InstantColumn({ nullable: true }) expiresAt: Date | null;
  @InstantColumn({ nullable: true }) revokedAt: Date | null;
  @InstantColumn({ nullable: true }) lastUsedAt: Date | null;
  @InstantColumn() createdAt: Date;
  @RefTo(() => User, 'user_id', 'CASCADE') readonly user?: User;
}

/**
 * A one-time link to choose a password: an invitation to a new account, or a reset. Only the
 * token's SHA-256 is kept; `usedAt` makes it one-time.
 */
@Entity('password_links')
@Index(['tokenHash'], { unique: true })
@Index(['userId'])
export class PasswordLink {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) userId: string;
  @Column('varchar', { length: 10 }) purpose: 'invite' | 'reset';
  @Column('varchar', { length: 64 }) tokenHash: string;
  @InstantColumn() expiresAt: Date;
  @InstantColumn({ nullable: true }) usedAt: Date | null;
  @InstantColumn() createdAt: Date;
  @RefTo(() => User, 'user_id', 'CASCADE') readonly user?: User;
}

/** A guide's password-free link (schedule page or calendar feed). Signed; revocable here. */
@Entity('guide_links')
@Index(['guideId'])
export class GuideLink {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) guideId: string;
  @Column('varchar', { length: 20 }) purpose: 'access' | 'calendar';
  @InstantColumn() expiresAt: Date;
  @InstantColumn({ nullable: true }) revokedAt: Date | null;
  @InstantColumn() createdAt: Date;
  @RefTo(() => Guide, 'guide_id', 'CASCADE') readonly guide?: Guide;
}

/**
 * Failed logins counted under one key (an account, an address or a known device, as an HMAC):
 * after a few, each failure makes the next try wait longer. Forgotten an hour after the last one.
 */
@Entity('login_delays')
@Index(['lastFailureAt'])
export class LoginDelay {
  @PrimaryColumn('varchar', { length: 64 }) key: string;
  @Column('varchar', { length: 10 }) kind: 'account' | 'address' | 'device';
  @Column('integer') failures: number;
  @InstantColumn() lastFailureAt: Date;
  @InstantColumn({ nullable: true }) waitUntil: Date | null;
}

/** A browser an account has logged in from (its cookie's SHA-256): the right password from it is never held back. */
@Entity('login_devices')
@Index(['tokenHash'], { unique: true })
@Index(['userId'])
export class LoginDevice {
  @IdColumn() id: string;
  @Column('varchar', { length: 36 }) userId: string;
  @Column('varchar', { length: 64 }) tokenHash: string;
  @InstantColumn() createdAt: Date;
  @InstantColumn() lastUsedAt: Date;
  @RefTo(() => User, 'user_id', 'CASCADE') readonly user?: User;
}

/**
 * Who did what, when. It names the fields that changed, never their values, so erasing a
 * senior leaves no personal data behind here.
 */
@Entity('audit_log')
@Index(['municipalityId', 'at'])
@Index(['entityType', 'entityId'])
export class AuditEntry {
  @IdColumn() id: string;
  @InstantColumn() at: Date;
  @Column('varchar', { length: 10 }) actorType: 'user' | 'guide' | 'system';
  @Column('varchar', { length: 36, nullable: true }) actorId: string | null;
  @Column('varchar', { length: 36, nullable: true }) municipalityId: string | null;
  /** e.g. `senior.update`, `senior.export`, `series.create`. */
  @Column('varchar', { length: 60 }) action: string;
  @Column('varchar', { length: 30 }) entityType: string;
  @Column('varchar', { length: 36 }) entityId: string;
  @Column('simple-json') fields: string[];
}
