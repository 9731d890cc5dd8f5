import ICAL from 'ical.js';

export interface ParsedEvent {
  uid: string;
  sequence: number;
  status: string | null;
  /** The instant, with the file's own VTIMEZONE applied. */
  start: Date;
  end: Date;
  /** The wall-clock time written in the file, e.g. 15:00, and its zone. */
  localStart: string;
  zone: string | null;
  summary: string;
  location: string;
}

/** Parses an iCalendar text with ical.js (Mozilla's parser), as a calendar app would. */
export function parseIcs(text: string): { method: string | null; events: ParsedEvent[] } {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    const dtstart = v.getFirstProperty('dtstart')!;
    return {
      uid: e.uid,
      sequence: e.sequence,
      status: (v.getFirstPropertyValue('status') as string | null) ?? null,
      start: e.startDate.toJSDate(),
      end: e.endDate.toJSDate(),
      localStart: `${String(e.startDate.hour).padStart(2, '0')}:${String(e.startDate.minute).padStart(2, '0')}`,
      zone: (dtstart.getParameter('tzid') as string | undefined) ?? null,
      summary: e.summary,
      location: e.location,
    };
  });
  return { method: (cal.getFirstPropertyValue('method') as string | null) ?? null, events };
}
