/** The term at a glance: twelve weeks ahead, what is short, and planning a longer period at once. */
import type { z } from 'zod';
import { DateTime } from 'luxon';
import { useState } from 'preact/hooks';
import type { WeekView } from '../../http/schemas/week';
import type { Plan } from '../../http/schemas/matching';
import { api } from '../api';
import { shortDay, t } from '../i18n';
import { onLink } from '../router';
import { errorText, Message, MessageLine, Status, useLoad } from '../ui';
import type { Ctx } from '../main';
import { thisWeek } from './week';

type Week = z.infer<typeof WeekView>;
const WEEKS = 12;

export function TermPage({ ctx }: { ctx: Ctx }) {
  const m = ctx.municipalityId;
  const first = DateTime.fromISO(thisWeek());
  const weeks = Array.from({ length: WEEKS }, (_, i) => first.plus({ weeks: i }).toFormat("kkkk-'W'WW"));
  const loaded = useLoad(() => Promise.all(weeks.map((w) => api.get<Week>(`municipalities/${m}/weeks/${w}`))), `${m}/${weeks[0]}`);
  const [from, setFrom] = useState(first.toISODate()!);
  const [to, setTo] = useState(first.plus({ weeks: 3 }).endOf('week').toISODate()!);
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
      <form class="card row" onSubmit={plan}>
        <label>{t('from')} <input type="date" value={from} required onInput={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
        <label>{t('to')} <input type="date" value={to} required onInput={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" class="primary" disabled={busy}>{busy ? t('planning') : t('planPeriod')}</button>
      </form>
      <MessageLine message={message} />
      <Status loaded={loaded}>
        {() => (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{t('termTitle')}</caption>
              <thead>
                <tr><th scope="col">{t('week')}</th><th scope="col">{t('sessions')}</th><th scope="col">{t('seatsTaken')}</th><th scope="col">{t('shortSessions')}</th><th scope="col">{t('unconfirmed')}</th><th scope="col">{t('drafts')}</th></tr>
              </thead>
              <tbody>
                {loaded.data!.map((w) => {
                  const live = w.sessions.filter((s) => s.status === 'scheduled');
                  const short = live.filter((s) => s.guides.length < s.minGuides).length;
                  const guides = live.flatMap((s) => s.guides);
                  return (
                    <tr key={w.week}>
                      <th scope="row"><a href={`/vecka/${w.week}`} onClick={onLink}>{t('week')} {Number(w.week.split('-W')[1])}</a> <span class="muted">{shortDay(w.from)}</span></th>
                      <td>{live.length}{w.totals.cancelled ? <span class="muted"> (+{w.totals.cancelled} {t('cancelled').toLowerCase()})</span> : null}</td>
                      <td>{w.totals.confirmed} / {live.reduce((n, s) => n + s.seats, 0)}</td>
                      <td class={short ? 'bad' : ''}>{short}</td>
                      <td>{guides.filter((g) => g.status === 'published' && g.response !== 'confirmed').length}</td>
                      <td>{guides.filter((g) => g.status === 'draft').length}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Status>
    </>
  );
}
