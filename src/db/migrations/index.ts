import { Initial1764000000000 } from './1764000000000-Initial';
import { Accounts1764100000000 } from './1764100000000-Accounts';
import { Assignments1764200000000 } from './1764200000000-Assignments';
import { Outbox1764300000000 } from './1764300000000-Outbox';
import { Notices1764400000000 } from './1764400000000-Notices';
import { Attendance1764500000000 } from './1764500000000-Attendance';
import { Jobs1764600000000 } from './1764600000000-Jobs';
import { Versions1764700000000 } from './1764700000000-Versions';
import { SelfService1764800000000 } from './1764800000000-SelfService';
import { Roster1764900000000 } from './1764900000000-Roster';
import { Safety1765000000000 } from './1765000000000-Safety';
import { Logins1765100000000 } from './1765100000000-Logins';
import { MailOrder1765200000000 } from './1765200000000-MailOrder';
import { CafeAssociation1765300000000 } from './1765300000000-CafeAssociation';
import { AddressChanged1765400000000 } from './1765400000000-AddressChanged';
import { AssignmentConflicts1765500000000 } from './1765500000000-AssignmentConflicts';
import { OutboxSessions1765600000000 } from './1765600000000-OutboxSessions';
import { ReasonCodes1765700000000 } from './1765700000000-ReasonCodes';
import { ConflictPolicy1765900000000 } from './1765900000000-ConflictPolicy';
import { CancelReasonSwedish1766000000000 } from './1766000000000-CancelReasonSwedish';
import { PlanStoppedEarly1766100000000 } from './1766100000000-PlanStoppedEarly';
import { Queue1766200000000 } from './1766200000000-Queue';
import { HelpedBy1766300000000 } from './1766300000000-HelpedBy';
import { TopicsByPlatform1766400000000 } from './1766400000000-TopicsByPlatform';

/** In order. A new migration is added here as well as in its own file. */
export const migrations = [
  Initial1764000000000,
  Accounts1764100000000,
  Assignments1764200000000,
  Outbox1764300000000,
  Notices1764400000000,
  Attendance1764500000000,
  Jobs1764600000000,
  Versions1764700000000,
  SelfService1764800000000,
  Roster1764900000000,
  Safety1765000000000,
  Logins1765100000000,
  MailOrder1765200000000,
  CafeAssociation1765300000000,
  AddressChanged1765400000000,
  AssignmentConflicts1765500000000,
  OutboxSessions1765600000000,
  ReasonCodes1765700000000,
  ConflictPolicy1765900000000,
  CancelReasonSwedish1766000000000,
  PlanStoppedEarly1766100000000,
  Queue1766200000000,
  HelpedBy1766300000000,
  TopicsByPlatform1766400000000,
];
