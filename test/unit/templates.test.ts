import { calendarText } from '../../src/mail/calendar';
import { MESSAGE_KINDS, preview } from '../../src/mail/previews';
import { scheduleCancellation } from '../../src/mail/templates/guide-messages';
import type { SessionItem } from '../../src/mail/templates/session';
import { parseIcs } from '../support/ics';

const NOW = new Date('2027-03-19T15:00:00Z');
const sample = (): SessionItem => ({
  uid: 'a1@bryggan',
  sequence: 1,
  startsAt: new Date('2027-03-23T14:00:00Z'),
  endsAt: new Date('2027-03-23T16:00:00Z'),
  timeZone: 'Europe/Stockholm',
  venue: 'Vivalla träffpunkt',
  address: 'Vivallagatan 1',
  theme: null,
  otherGuides: [],
  seniors: 0,
  platforms: {},
  topics: {},
});

describe('the e-mail templates', () => {
  it.each(MESSAGE_KINDS)('render %s in Swedish first and English below, as text and HTML', (kind) => {
    const m = preview(kind, NOW);
    const [sv, en] = m.subject.split(' · ');
    expect(sv).toBeTruthy();
    expect(en).toBeTruthy();
    const split = m.text.indexOf('---- In English ----');
    expect(split).toBeGreaterThan(0);
    expect(m.html.indexOf('lang="sv"')).toBeLessThan(m.html.indexOf('lang="en"'));
    for (const part of [m.subject, m.text, m.html]) expect(part).not.toMatch(/undefined|NaN|\[object|Invalid DateTime/);
    // The Swedish part is in Swedish, the English in English: "Hej"/"Hi", "Hälsningar"/"Best wishes".
    expect(m.text.slice(0, split)).toMatch(/Hej|Hälsningar/);
    expect(m.text.slice(split)).toMatch(/Hi|Best wishes/);
    expect(m.text.slice(split)).not.toMatch(/Hälsningar|Hej /);
    for (const a of m.attachments) expect(parseIcs(a.content).events.length).toBeGreaterThan(0);
  });

  it('escape what people typed into the HTML part, and keep it as typed in the text part', () => {
    const m = scheduleCancellation({
      guideName: 'Amal',
      association: 'Förening <b>&</b>',
      why: 'cancelled',
      items: [{ ...sample(), change: 'cancelled', cancelReason: '<script>alert(1)</script> "stängt"' }],
    });
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;stängt&quot;');
    expect(m.html).toContain('Förening &lt;b&gt;&amp;&lt;/b&gt;');
    expect(m.text).toContain('<script>alert(1)</script> "stängt"');
  });
});

describe('the calendar files', () => {
  const item = (startsAt: string, endsAt: string): SessionItem => ({
    uid: 'a1@bryggan',
    sequence: 3,
    startsAt: new Date(startsAt),
    endsAt: new Date(endsAt),
    timeZone: 'Europe/Stockholm',
    venue: 'Vivalla träffpunkt',
    address: 'Vivallagatan 1, Örebro',
    theme: null,
    otherGuides: ['Sara'],
    seniors: 4,
    platforms: { ios: 2 },
    topics: {},
  });

  it('write local wall-clock time with the zone on both sides of the spring clock change', () => {
    // Tuesday 15:00 in Stockholm: 14:00 UTC before 28 March 2027, 13:00 UTC after.
    const text = calendarText(
      [item('2027-03-23T14:00:00Z', '2027-03-23T16:00:00Z'), item('2027-03-30T13:00:00Z', '2027-03-30T15:00:00Z')],
      { method: 'PUBLISH', organizer: { name: 'Enter Sweden', email: 'it@example.org' }, stamp: NOW },
    );
    expect(text).toContain('BEGIN:VTIMEZONE');
    expect(text).toContain('DTSTART;TZID=Europe/Stockholm:20270323T150000');
    expect(text).toContain('DTSTART;TZID=Europe/Stockholm:20270330T150000');
    const { method, events } = parseIcs(text);
    expect(method).toBe('PUBLISH');
    expect(events.map((e) => [e.localStart, e.start.toISOString()])).toEqual([
      ['15:00', '2027-03-23T14:00:00.000Z'],
      ['15:00', '2027-03-30T13:00:00.000Z'],
    ]);
    expect(events.every((e) => e.uid === 'a1@bryggan' && e.sequence === 3)).toBe(true);
  });

  it('cancel with METHOD:CANCEL and STATUS:CANCELLED, and the same UID', () => {
    const { method, events } = parseIcs(
      calendarText([item('2026-10-27T14:00:00Z', '2026-10-27T16:00:00Z')], {
        method: 'CANCEL',
        organizer: { name: 'Enter Sweden', email: 'it@example.org' },
        stamp: NOW,
      }),
    );
    expect(method).toBe('CANCEL');
    expect(events[0]).toMatchObject({ uid: 'a1@bryggan', status: 'CANCELLED', localStart: '15:00' });
  });
});
