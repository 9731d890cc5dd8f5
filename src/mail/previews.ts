import type { MailAttachment } from './mailer';
import { calendarAttachment } from './calendar';
import { coordinatorDigest, declineNotice, reportReminder } from './templates/coordinator-messages';
import {
  reminder,
  scheduleCancellation,
  scheduleUpdate,
  substituteRequest,
  weeklySchedule,
} from './templates/guide-messages';
import type { Rendered } from './templates/layout';
import type { SessionItem } from './templates/session';

import { MESSAGE_KINDS, type MessageKind } from '../domain/vocabulary';
export { MESSAGE_KINDS, type MessageKind };

const ZONE = 'Europe/Stockholm';
const EXAMPLE = 'https://bryggan.example.org';

/**
 * Every kind of message with made-up people and places, for coordinators to see what guides get
 * and for the tests that render each kind. The names are invented; no one's data is used.
 */
export function preview(kind: MessageKind, now: Date): Rendered & { attachments: MailAttachment[] } {
  const day = (days: number, hour: number) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, hour - 1));
  const item = (days: number, extra: Partial<SessionItem> = {}): SessionItem => ({
    uid: `preview-${days}@bryggan`,
    sequence: 1,
    startsAt: day(days, 15),
    endsAt: day(days, 17),
    timeZone: ZONE,
    venue: 'Vivalla träffpunkt',
    address: 'Vivallagatan 1, Örebro',
    theme: null,
    otherGuides: ['Sara Tesfay'],
    seniors: 6,
    platforms: { ios: 3, android: 2, windows: 1 },
    topics: { bankid: 2, banking_swish: 1 },
    confirmUrl: `${EXAMPLE}/svar/exempel-ja`,
    declineUrl: `${EXAMPLE}/svar/exempel-nej`,
    ...extra,
  });
  const guide = { guideName: 'Amal Hassan', association: 'Föreningen Digital vardag' };
  const ics = (items: SessionItem[], method: 'PUBLISH' | 'CANCEL') => [
    calendarAttachment(items, {
      method,
      organizer: { name: guide.association, email: 'it-cafe@example.org' },
      stamp: now,
      filename: 'pass.ics',
    }),
  ];
  switch (kind) {
    case 'weekly': {
      const items = [
        item(4),
        item(6, {
          venue: 'Stadsbiblioteket',
          address: 'Näbbtorgsgatan 12, Örebro',
          theme: 'BankID och Swish',
          otherGuides: ['Sara Tesfay', 'Omid Rahimi'],
        }),
      ];
      return {
        ...weeklySchedule({ ...guide, week: 49, items, pageUrl: `${EXAMPLE}/min-sida#exempel` }),
        attachments: ics(items, 'PUBLISH'),
      };
    }
    case 'schedule_update': {
      const items = [item(5, { change: 'changed', sequence: 2 }), item(8, { change: 'new' })];
      return { ...scheduleUpdate({ ...guide, items }), attachments: ics(items, 'PUBLISH') };
    }
    case 'schedule_cancel': {
      const items = [item(5, { change: 'cancelled', cancelReason: 'Lokalen är stängd för renovering.', sequence: 2 })];
      return { ...scheduleCancellation({ ...guide, items, why: 'cancelled' }), attachments: ics(items, 'CANCEL') };
    }
    case 'schedule_removed':
    case 'declined': {
      const items = [item(5, { change: 'removed', sequence: 2 })];
      return {
        ...scheduleCancellation({ ...guide, items, why: kind === 'declined' ? 'declined' : 'removed' }),
        attachments: ics(items, 'CANCEL'),
      };
    }
    case 'reminder':
      return { ...reminder({ ...guide, item: item(1) }), attachments: [] };
    case 'substitute_request':
      return {
        ...substituteRequest({
          ...guide,
          item: item(3, { otherGuides: [], confirmUrl: undefined, declineUrl: undefined }),
          takeUrl: `${EXAMPLE}/svar/exempel-ta`,
        }),
        attachments: [],
      };
    case 'decline_notice':
      return {
        ...declineNotice({
          guideName: 'Amal Hassan',
          municipality: 'Örebro kommun',
          asked: ['Sara Tesfay', 'Omid Rahimi'],
          slot: item(3),
        }),
        attachments: [],
      };
    case 'digest':
      return {
        ...coordinatorDigest({
          municipality: 'Örebro kommun',
          declines: [{ ...item(3), guideName: 'Amal Hassan', filledBy: 'Omid Rahimi' }],
          unfilled: [{ ...item(6), guides: 1, minGuides: 2 }],
          conflicts: [
            {
              ...item(4),
              guideName: 'Sara Tesfay',
              reasons: [
                {
                  code: 'not_available',
                  params: { weekday: 4, from: '17:00', to: '19:00', canWork: [{ from: '15:00', to: '18:00' }] },
                },
              ],
            },
          ],
          failedMails: [{ to: 'guide@example.org', subject: 'Ditt schema vecka 49', error: '550 Mailbox unavailable' }],
          outboxUrl: `${EXAMPLE}/mejl?status=failed`,
        }),
        attachments: [],
      };
    case 'report_reminder':
      return {
        ...reportReminder({
          association: guide.association,
          municipality: 'Örebro kommun',
          cafes: [item(-1), item(-8, { venue: 'Stadsbiblioteket' })].map((x, i) => ({
            ...x,
            formUrl: `${EXAMPLE}/efter-cafeet/exempel-${i + 1}`,
          })),
        }),
        attachments: [],
      };
  }
}
