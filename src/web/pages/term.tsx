/** The term at a glance: twelve weeks ahead, what is short, and planning a longer period at once. */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { WeekView } from '../../contract/week';
import type { Plan } from '../../contract/matching';
import { api } from '../api';
import { defineWords, plural, shortDay, t } from '../i18n';
import { onLink } from '../router';
import { errorText, type Message, MessageLine, Status, Table, useLoad } from '../ui';
import type { Ctx } from '../ctx';
import { addDays, shiftWeek, thisWeek, weekMonday } from '../dates';

type Week = z.infer<typeof WeekView>;
const WEEKS = 12;

export function TermPage({ ctx }: { ctx: Ctx }) {
  const m = ctx.municipalityId;
  const first = thisWeek();
  const weeks = Array.from({ length: WEEKS }, (_, i) => shiftWeek(first, i));
  const loaded = useLoad(
    () => Promise.all(weeks.map((w) => api.get<Week>(`municipalities/${m}/weeks/${w}`))),
    `${m}/${weeks[0]}`,
  );
  const [from, setFrom] = useState(weekMonday(first));
  const [to, setTo] = useState(addDays(weekMonday(first), 4 * 7 - 1));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  // The plan made here: publishing it names it, so a plan made meanwhile by someone else is refused, not published.
  const [planned, setPlanned] = useState<{ id: string; from: string; to: string } | null>(null);

  const plan = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const p = await api.post<z.infer<typeof Plan>>(`municipalities/${m}/plans`, { from, to });
      setPlanned({ id: p.id, from: p.startsOn, to: p.endsOn });
      setMessage({ kind: 'ok', text: `${t('planned')} ${t('shortSessions')}: ${p.shortfalls.length}` });
      loaded.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>{t('termTitle')}</h1>
      <form class="card row" onSubmit={(e) => void plan(e)}>
        <label>
          {t('from')}{' '}
          <input type="date" value={from} required onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('to')}{' '}
          <input type="date" value={to} required onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('planning') : t('planPeriod')}
        </button>
      </form>
      <MessageLine message={message} />
      <Publish
        municipalityId={m}
        mailSetUp={ctx.session.user.mailSetUp !== false}
        from={from}
        to={to}
        planned={planned}
        drafts={(loaded.data ?? []).some((w) => w.sessions.some((s) => s.guides.some((g) => g.status === 'draft')))}
        onDone={(text) => {
          setPlanned(null);
          setMessage({ kind: 'ok', text });
          loaded.reload();
        }}
      />
      <Status loaded={loaded}>
        {() => (
          <Table
            caption={t('termTitle')}
            hideCaption
            columns={[t('week'), t('sessions'), t('seatsTaken'), t('shortSessions'), t('unconfirmed'), t('drafts')]}
            rows={loaded.data!.map((w) => {
              const live = w.sessions.filter((s) => s.status === 'scheduled');
              const short = live.filter((s) => s.guides.length < s.minGuides).length;
              const guides = live.flatMap((s) => s.guides);
              return {
                key: w.week,
                cells: [
                  <>
                    <a href={`/vecka/${w.week}`} onClick={onLink}>
                      {t('week')} {Number(w.week.split('-W')[1])}
                    </a>{' '}
                    <span class="muted">{shortDay(w.from)}</span>
                  </>,
                  <>
                    {live.length}
                    {w.totals.cancelled ? (
                      <span class="muted">
                        {' '}
                        (+{w.totals.cancelled} {t('cancelled').toLowerCase()})
                      </span>
                    ) : null}
                  </>,
                  `${w.totals.confirmed} / ${live.reduce((n, s) => n + s.seats, 0)}`,
                  short ? <b class="bad">{short}</b> : '0',
                  guides.filter((g) => g.status === 'published' && g.response !== 'confirmed').length,
                  guides.filter((g) => g.status === 'draft').length,
                ],
              };
            })}
          />
        )}
      </Status>
    </>
  );
}

const w = defineWords({
  review: ['Granska och publicera perioden', 'Review and publish the period'],
  reviewTitle: ['Publicera {from} – {to}', 'Publish {from} – {to}'],
  nothing: ['Det finns inget nytt att publicera i perioden.', 'There is nothing new to publish in the period.'],
  willMail1: ['1 guide får ett mejl med sina pass:', '1 guide gets an e-mail with their sessions:'],
  willMailN: ['{n} guider får ett mejl med sina pass:', '{n} guides get an e-mail with their sessions:'],
  shifts1: ['1 pass blir publicerat.', '1 session shift is published.'],
  shiftsN: ['{n} pass blir publicerade.', '{n} session shifts are published.'],
  publishNow: ['Publicera', 'Publish'],
  published1: ['Publicerat. 1 guide får mejl.', 'Published. 1 guide gets e-mail.'],
  publishedN: ['Publicerat. {n} guider får mejl.', 'Published. {n} guides get e-mail.'],
  noMail: [
    'E-posten är inte inställd än. Mejlen väntar tills den är det.',
    'E-mail is not set up yet. The e-mails wait until it is.',
  ],
});

type Outcome = { published: number; guides: { id: string; name: string }[] };
/** What was reviewed: the outcome, for exactly this period and plan. */
type Reviewed = Outcome & { from: string; to: string; planId?: string };

/** Publishing a period: first who will get mail (the same change, not stored), then the change itself. */
function Publish({
  municipalityId,
  mailSetUp,
  from,
  to,
  planned,
  drafts,
  onDone,
}: {
  municipalityId: string;
  mailSetUp: boolean;
  from: string;
  to: string;
  planned: { id: string; from: string; to: string } | null;
  drafts: boolean;
  onDone: (text: string) => void;
}) {
  const [preview, setPreview] = useState<Reviewed | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const path = `municipalities/${municipalityId}/plans/publish`;
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setMessage(null);
    try {
      await work();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  const review = () =>
    run(async () => {
      // The plan made here, when it is this period's: publishing then refuses if someone planned again meanwhile.
      const period =
        planned && planned.from === from && planned.to === to ? { from, to, planId: planned.id } : { from, to };
      setPreview({ ...(await api.post<Outcome>(`${path}/preview`, period)), ...period });
      requestAnimationFrame(() => document.getElementById('publish-title')?.focus());
    });
  const publish = () =>
    run(async () => {
      const reviewed = preview!;
      const r = await api.post<Outcome>(path, {
        from: reviewed.from,
        to: reviewed.to,
        ...(reviewed.planId ? { planId: reviewed.planId } : {}),
      });
      setPreview(null);
      const told = plural(r.guides.length, w('published1'), w('publishedN', { n: r.guides.length }));
      onDone(mailSetUp ? told : `${told} ${w('noMail')}`);
    });
  if (!preview) {
    return (
      <p>
        <button type="button" disabled={busy || !drafts} onClick={() => void review()}>
          {w('review')}
        </button>
      </p>
    );
  }
  return (
    <section class="card stack" aria-labelledby="publish-title">
      <h2 id="publish-title" tabIndex={-1}>
        {w('reviewTitle', { from: shortDay(preview.from), to: shortDay(preview.to) })}
      </h2>
      {preview.published === 0 ? (
        <p>{w('nothing')}</p>
      ) : (
        <>
          <p>{plural(preview.published, w('shifts1'), w('shiftsN', { n: preview.published }))}</p>
          <p>{plural(preview.guides.length, w('willMail1'), w('willMailN', { n: preview.guides.length }))}</p>
          {!mailSetUp && <p class="notice warn">{w('noMail')}</p>}
          <ul class="plain">
            {preview.guides.map((g) => (
              <li key={g.id}>{g.name}</li>
            ))}
          </ul>
        </>
      )}
      <MessageLine message={message} />
      <div class="row">
        {preview.published > 0 && (
          <button type="button" class="primary" disabled={busy} onClick={() => void publish()}>
            {w('publishNow')}
          </button>
        )}
        <button type="button" onClick={() => setPreview(null)}>
          {t('back')}
        </button>
      </div>
    </section>
  );
}
