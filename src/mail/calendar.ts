import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';
import type { MailAttachment } from './mailer';
import type { SessionItem } from './templates/session';
import { countList, platformName } from './words';

export type CalendarMethod = 'PUBLISH' | 'CANCEL';

/**
 * An iCalendar file for a guide's sessions. Times are written as local wall-clock time with the
 * zone's VTIMEZONE block, so a phone shows 15:00 in Stockholm on either side of a clock change.
 * The UID is the assignment's and the SEQUENCE rises with every notice: a phone updates the
 * event it has (or removes it, with METHOD:CANCEL) instead of adding a second one.
 */
export function calendarText(
  items: SessionItem[],
  opts: { method: CalendarMethod; organizer: { name: string; email: string }; stamp: Date; name?: string },
): string {
  const cal = ical({
    prodId: { company: 'Bryggan', product: 'bryggan', language: 'SV' },
    method: opts.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
    name: opts.name,
    timezone: { name: items[0]?.timeZone ?? 'Europe/Stockholm', generator: getVtimezoneComponent },
  });
  for (const s of items) {
    const cancelled = opts.method === 'CANCEL' || s.change === 'cancelled' || s.change === 'removed';
    cal.createEvent({
      id: s.uid,
      sequence: s.sequence,
      stamp: DateTime.fromJSDate(opts.stamp, { zone: 'utc' }),
      start: DateTime.fromJSDate(s.startsAt, { zone: s.timeZone }),
      end: DateTime.fromJSDate(s.endsAt, { zone: s.timeZone }),
      timezone: s.timeZone,
      summary: `IT-café: ${s.venue}`,
      location: `${s.venue}, ${s.address}`,
      description: describe(s),
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      organizer: opts.organizer,
    });
  }
  return cal.toString();
}

/** Swedish first; English on a line of its own, never both in one line. */
function describe(s: SessionItem): string {
  if (s.change === 'cancelled') return [`Inställt. ${s.cancelReason ?? ''}`.trim(), 'Cancelled.'].join('\n');
  if (s.change === 'removed') return 'Du behöver inte komma på passet.\nYou need not come to this session.';
  const platforms = countList(s.platforms, platformName);
  return [
    s.otherGuides.length ? `Med dig jobbar: ${s.otherGuides.join(', ')}` : null,
    `Anmälda: ${s.seniors}${platforms ? ` (${platforms})` : ''}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export function calendarAttachment(
  items: SessionItem[],
  opts: Parameters<typeof calendarText>[1] & { filename: string },
): MailAttachment {
  return {
    filename: opts.filename,
    contentType: `text/calendar; charset=utf-8; method=${opts.method}`,
    content: calendarText(items, opts),
  };
}
