/**
 * The stored records that services answer with, named for their callers: http's mappers turn
 * them into the contract's shapes without importing the database layer. Types only.
 */
export type {
  Assignment,
  AuthToken,
  Closure,
  Contract,
  Guide,
  GuideLink,
  Organisation,
  OutboxMessage,
  Plan,
  Regular,
  Senior,
  Session,
  SessionSeries,
  User,
} from '../db/entities';
