/** The term at a glance: twelve weeks ahead, what is short, and planning a longer period at once. */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { WeekView } from '../../contract/week';
import type { Plan } from '../../contract/matching';
import { api } from '../api';
import { shortDay, t } from '../i18n';
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

  const plan = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const p = await api.post<z.infer<typeof Plan>>(`municipalities/${m}/plans`, { from, to });
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
