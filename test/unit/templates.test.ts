import { calendarText } from '../../src/mail/calendar';
import { MESSAGE_KINDS, preview } from '../../src/mail/previews';
import { coordinatorDigest } from '../../src/mail/templates/coordinator-messages';
import { scheduleCancellation, scheduleUpdate } from '../../src/mail/templates/guide-messages';
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
    // The subject is short and Swedish only: a phone cuts a long one off.
    expect(m.subject).toBeTruthy();
    expect(m.subject).not.toMatch(/ · |\b(session|sessions|Your|You|Reminder|Welcome|things)\b/);
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

  it('write real plurals: one pass, one thing to check, one senior', () => {
    const one = scheduleCancellation({ guideName: 'Amal', association: 'F', why: 'removed', items: [sample()] });
    expect(one.subject).toBe('Du behöver inte komma tisdag 23/3 15:00');
    expect(one.text).toContain('Du behöver inte komma till passet. Caféet är öppet som vanligt.');
    expect(one.text).toContain('Öppna filen installt.ics i mejlet. Då försvinner passet ur din kalender.');
    const three = scheduleCancellation({
      guideName: 'Amal',
      association: 'F',
      why: 'removed',
      items: [sample(), sample(), sample()],
    });
    expect(three.subject).toBe('Du behöver inte komma på 3 pass');
    expect(three.text).toContain('Caféerna är öppna som vanligt.');
    const cancelled = scheduleCancellation({
      guideName: 'Amal',
      association: 'F',
      why: 'cancelled',
      items: [sample()],
    });
    expect(cancelled.text).toContain('Passet är inställt. Du behöver inte komma.');
    const added = scheduleUpdate({
      guideName: 'Amal',
      association: 'F',
      items: [{ ...sample(), change: 'new', seniors: 1 }],
    });
    expect(added.text).toContain('Du har fått ett nytt pass. Kommer du?');
    expect(added.text).toContain('Anmälda: 1 senior');
    expect(added.text).toContain('Öppna filen pass.ics i mejlet. Då kommer passet in i din kalender.');
    const changed = scheduleUpdate({
      guideName: 'Amal',
      association: 'F',
      items: [
        { ...sample(), change: 'changed' },
        { ...sample(), change: 'new' },
      ],
    });
    expect(changed.text).toContain('Ditt schema har ändrats. Läs om passen här under. Svara på varje pass.');
    expect(changed.text).toContain('Öppna filen pass.ics i mejlet. Då ändras passen i din kalender.');
    const digest = coordinatorDigest({
      municipality: 'Örebro kommun',
      declines: [],
      unfilled: [{ ...sample(), guides: 0, minGuides: 1 }],
      conflicts: [],
      failedMails: [],
      outboxUrl: 'http://example.org/mejl',
    });
    expect(digest.subject).toBe('Bryggan i dag: 1 sak att se över');
    expect(digest.text).toContain('0 av minst 1 guide');
    expect(digest.text).not.toMatch(/\bguide\(r\)|\b1 saker\b|\b1 guider\b/);
  });

  it("say a mail that did not arrive in Swedish, the mail server's own words only in English", () => {
    const digest = coordinatorDigest({
      municipality: 'Örebro kommun',
      declines: [],
      unfilled: [],
      conflicts: [],
      failedMails: [{ to: 'amal@example.org', subject: 'Ditt schema vecka 49', error: '550 Mailbox unavailable' }],
      outboxUrl: 'http://example.org/mejl',
    });
    const split = digest.text.indexOf('---- In English ----');
    expect(digest.text.slice(0, split)).toContain(
      'amal@example.org: Ditt schema vecka 49. Mejlet kom inte fram. Kontrollera e-postadressen.',
    );
    expect(digest.text.slice(0, split)).not.toContain('Mailbox');
    expect(digest.text.slice(split)).toContain('550 Mailbox unavailable');
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

  it('say a cancellation in Swedish first, and the English on a line of its own', () => {
    const cancelled = calendarText(
      [
        {
          ...item('2026-10-27T14:00:00Z', '2026-10-27T16:00:00Z'),
          change: 'cancelled',
          cancelReason: 'Lokalen är stängd.',
        },
      ],
      { method: 'CANCEL', organizer: { name: 'Enter Sweden', email: 'it@example.org' }, stamp: NOW },
    );
    // iCalendar escapes a line break in a text as "\n" and folds long lines; unfolded, each language has its line.
    const unfolded = cancelled.replace(/\r?\n[ \t]/g, '');
    expect(unfolded).toContain('DESCRIPTION:Inställt. Lokalen är stängd.\\nCancelled.');
    const removed = calendarText([{ ...item('2026-10-27T14:00:00Z', '2026-10-27T16:00:00Z'), change: 'removed' }], {
      method: 'CANCEL',
      organizer: { name: 'Enter Sweden', email: 'it@example.org' },
      stamp: NOW,
    }).replace(/\r?\n[ \t]/g, '');
    expect(removed).toContain('DESCRIPTION:Du behöver inte komma på passet.\\nYou need not come to this session.');
  });
});
