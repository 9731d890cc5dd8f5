/** The roster: guides with what they know, when they can work and their hours; seniors for those who plan. */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { Guide, GuideHours, Senior } from '../../contract/people';
import { api } from '../api';
import { month as monthOf, today } from '../dates';
import { hours, lang, language, monthName, platform, t, topic } from '../i18n';
import { errorText, Status, Table, useLoad } from '../ui';
import type { Ctx } from '../ctx';

type G = z.infer<typeof Guide>;
type S = z.infer<typeof Senior>;
const DAYS: Record<string, [string, string]> = {
  mon: ['mån', 'Mon'],
  tue: ['tis', 'Tue'],
  wed: ['ons', 'Wed'],
  thu: ['tor', 'Thu'],
  fri: ['fre', 'Fri'],
  sat: ['lör', 'Sat'],
  sun: ['sön', 'Sun'],
};

export function RosterPage({ ctx }: { ctx: Ctx }) {
  const [tab, setTab] = useState<'guides' | 'seniors'>('guides');
  return (
    <>
      <h1 tabIndex={-1}>{t('roster')}</h1>
      {ctx.planner && (
        <div class="tabs" role="group" aria-label={t('roster')}>
          <button type="button" aria-pressed={tab === 'guides'} onClick={() => setTab('guides')}>
            {t('guides')}
          </button>
          <button type="button" aria-pressed={tab === 'seniors'} onClick={() => setTab('seniors')}>
            {t('seniors')}
          </button>
        </div>
      )}
      {tab === 'guides' || !ctx.planner ? <Guides ctx={ctx} /> : <Seniors ctx={ctx} />}
    </>
  );
}

function Guides({ ctx }: { ctx: Ctx }) {
  const month = monthOf(today());
  const m = ctx.municipalityId;
  const loaded = useLoad(async () => {
    const [guides, h] = await Promise.all([
      api.get<{ items: G[] }>(`guides?municipalityId=${m}&active=true&limit=200`),
      api.get<z.infer<typeof GuideHours>>(`municipalities/${m}/guide-hours?month=${month}`),
    ]);
    return { guides: guides.items, hours: new Map(h.items.map((x) => [x.guideId, x])) };
  }, m);
  const [links, setLinks] = useState<Record<string, { url: string; days: number } | { error: string }>>({});
  const makeLink = async (g: G) => {
    try {
      const r = await api.post<{ url: string; expiresAt: string }>(`guides/${g.id}/links`, { purpose: 'access' });
      setLinks((l) => ({
        ...l,
        [g.id]: { url: r.url, days: Math.round((Date.parse(r.expiresAt) - Date.now()) / 86_400_000) },
      }));
    } catch (e) {
      setLinks((l) => ({ ...l, [g.id]: { error: errorText(e) } }));
    }
  };
  const l = lang() === 'sv' ? 0 : 1;
  return (
    <Status loaded={loaded}>
      {() => (
        <Table
          caption={`${t('guides')} · ${t('hoursMonth', { m: monthName(month) })}`}
          columns={[
            t('name'),
            t('platforms'),
            t('languages'),
            t('availability'),
            t('hoursMonth', { m: monthName(month) }),
            <span class="visually-hidden">{t('guideLink')}</span>,
          ]}
          rows={loaded.data!.guides.map((g) => {
            const h = loaded.data!.hours.get(g.id);
            return {
              key: g.id,
              cells: [
                g.name,
                g.platforms.map((p) => platform(p.platform)).join(', '),
                ['sv', ...g.languages.map((x) => x.language)].map(language).join(', '),
                g.availability.map((a) => `${DAYS[a.weekday][l]} ${a.start}–${a.end}`).join(', '),
                <>
                  {hours(h?.plannedMinutes ?? 0)} {t('plannedH')} · {hours(h?.workedMinutes ?? 0)} {t('workedH')}
                  <br />
                  <span class={(h?.peakWeekMinutes ?? 0) > g.maxHoursPerWeek * 60 ? 'badge bad' : 'muted'}>
                    {t('peakWeek', { h: hours(h?.peakWeekMinutes ?? 0), max: g.maxHoursPerWeek })}
                  </span>
                </>,
                links[g.id] ? (
                  <Link made={links[g.id]} name={g.name} />
                ) : (
                  <button
                    type="button"
                    class="small"
                    onClick={() => void makeLink(g)}
                    aria-label={`${t('guideLink')}: ${g.name}`}
                  >
                    {t('guideLink')}
                  </button>
                ),
              ],
            };
          })}
        />
      )}
    </Status>
  );
}

function Link({ made, name }: { made: { url: string; days: number } | { error: string }; name: string }) {
  if ('error' in made) return <span class="notice error">{made.error}</span>;
  return (
    <span class="stack">
      <span class="muted">{t('linkMade', { d: made.days })}</span>
      <input
        readOnly
        value={made.url}
        aria-label={`${t('guideLink')}: ${name}`}
        onFocus={(e) => (e.target as HTMLInputElement).select()}
      />
    </span>
  );
}

function Seniors({ ctx }: { ctx: Ctx }) {
  const [q, setQ] = useState('');
  const loaded = useLoad(
    async () =>
      await api.get<{ items: S[]; total: number }>(
        `seniors?municipalityId=${ctx.municipalityId}&limit=100${q.trim() ? `&q=${encodeURIComponent(q.trim())}` : ''}`,
      ),
    `${ctx.municipalityId}/${q}`,
  );
  return (
    <>
      <label for="senior-q">{t('searchSenior')}</label>
      <input
        id="senior-q"
        type="search"
        value={q}
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        autocomplete="off"
      />
      <Status loaded={loaded}>
        {() => (
          <Table
            caption={`${t('seniors')} (${loaded.data!.total})`}
            columns={[t('name'), t('phone'), t('devices'), t('topics')]}
            rows={loaded.data!.items.map((s) => ({
              key: s.id,
              cells: [
                s.displayName,
                s.phone ?? '',
                s.devices.map((d) => platform(d.platform)).join(', '),
                s.topics.map(topic).join(', '),
              ],
            }))}
          />
        )}
      </Status>
    </>
  );
}
