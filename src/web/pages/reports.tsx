/** The association's and the municipality's period report: figures, charts, CSV and a print view. */
import type { z } from 'zod';
import { useState } from 'preact/hooks';
import type { Contract } from '../../contract/organisations';
import type { Report } from '../../contract/attendance';
import { api, saveBlob } from '../api';
import { month, today } from '../dates';
import { ageBand, defineWords, gender, platform, plural, t, topic } from '../i18n';
import { errorText, type Message, MessageLine, Status, Table, textField, useLoad } from '../ui';
import type { Ctx } from '../ctx';

type R = z.infer<typeof Report>;

const w = defineWords({
  byPlatform: ['Ämnen per plattform', 'Topics by platform'],
  platformColumn: ['Plattform', 'Platform'],
  noneByPlatform: [
    'Inga ämnen per plattform än. De visas när föreningen rapporterar ett café med dem.',
    'No topics by platform yet. They show when the association reports a café with them.',
  ],
  notBrokenDown: [
    'Föreningen rapporterade {n} {cafes} utan ämnen per plattform. Den hjälpen räknas i ämnen och plattformar, men inte i tabellen.',
    'The association reported {n} {cafes} without topics by platform. That help counts in topics and platforms, but not in the table.',
  ],
  cafe: ['café', 'café'],
  cafes: ['caféer', 'cafés'],
});
type Cell = number | '<3' | 'x';

export function ReportsPage({ ctx }: { ctx: Ctx }) {
  const contracts = useLoad(
    async () =>
      (await api.get<{ items: z.infer<typeof Contract>[] }>(`contracts?municipalityId=${ctx.municipalityId}&limit=100`))
        .items,
    ctx.municipalityId,
  );
  const [chosen, setChosen] = useState<{ contractId: string; period: string } | null>(null);
  const [period, setPeriod] = useState<string | null>(null);
  const [contractId, setContractId] = useState<string | null>(null);
  // The page opens on the contract's latest month with a café reported, not on an empty last month.
  const current = contractId ?? contracts.data?.[0]?.id ?? '';
  const latest = useLoad(
    async () =>
      current ? (await api.get<{ period: string | null }>(`contracts/${current}/report-period`)).period : null,
    `latest/${current}`,
  );
  return (
    <>
      <h1 tabIndex={-1}>{t('reports')}</h1>
      <Status loaded={contracts}>
        {() => {
          const list = contracts.data!;
          if (!list.length) return <p>{t('noContracts')}</p>;
          // The latest month with data; else last month, kept within the contract's months.
          const contract = list.find((c) => c.id === contractId) ?? list[0];
          const shown =
            period ??
            latest.data ??
            [[month(today(), -1), contract.startsOn.slice(0, 7)].sort()[1], contract.endsOn.slice(0, 7)].sort()[0];
          const show = (e: Event) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget as HTMLFormElement);
            setChosen({ contractId: textField(form, 'contract'), period: textField(form, 'period').trim() });
          };
          return (
            <>
              <form class="card row" onSubmit={show}>
                <label>
                  {t('contract')}{' '}
                  <select
                    name="contract"
                    value={contract.id}
                    onChange={(e) => {
                      setContractId((e.target as HTMLSelectElement).value);
                      setPeriod(null);
                    }}
                  >
                    {list.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.reference ?? c.id.slice(0, 8)} ({c.startsOn} – {c.endsOn})
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t('period')}{' '}
                  <input
                    name="period"
                    value={shown}
                    onInput={(e) => setPeriod((e.target as HTMLInputElement).value)}
                    // Until the latest month with data is known: it would replace what is being typed.
                    disabled={latest.loading && period === null}
                    required
                    pattern="\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?"
                    aria-describedby="period-hint"
                    size={8}
                  />
                </label>
                <button type="submit" class="primary" disabled={latest.loading && period === null}>
                  {t('show')}
                </button>
                <span id="period-hint" class="muted">
                  {t('periodHint')}
                </span>
              </form>
              {chosen && <ReportView key={`${chosen.contractId}/${chosen.period}`} {...chosen} />}
            </>
          );
        }}
      </Status>
    </>
  );
}

function ReportView({ contractId, period }: { contractId: string; period: string }) {
  const path = `contracts/${contractId}/reports/${encodeURIComponent(period)}`;
  const loaded = useLoad(() => api.get<R>(path), path);
  const [message, setMessage] = useState<Message>(null);
  const download = async () => {
    try {
      saveBlob(await api.blob(`${path}/csv`), `bryggan-rapport-${period}.csv`);
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  const print = async () => {
    // The print page is fetched with the login and opened as a document of its own.
    const tab = window.open('', '_blank');
    try {
      const blob = await api.blob(`${path}/print`);
      if (tab) tab.location.href = URL.createObjectURL(new Blob([blob], { type: 'text/html' }));
    } catch (e) {
      tab?.close();
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  return (
    <Status loaded={loaded}>
      {() => {
        const r = loaded.data!;
        const tot = r.total;
        return (
          <section aria-labelledby="report-title" class="report">
            <h2 id="report-title">
              {r.municipality.name} · {r.association.name} · {r.period}
            </h2>
            <p class="muted">
              {r.from} – {r.to}
            </p>
            <div class="row">
              <button type="button" class="primary" onClick={() => void download()}>
                {t('csv')}
              </button>
              <button type="button" onClick={() => void print()}>
                {t('print')}
              </button>
            </div>
            <MessageLine message={message} />
            <dl class="figures">
              <Fig label={t('sessions')} value={`${tot.sessions.held} / ${tot.sessions.planned}`} />
              <Fig label={t('unreported')} value={tot.sessions.unreported} />
              <Fig label={t('cancelledSessions')} value={tot.sessions.cancelled} />
              <Fig label={t('visits')} value={tot.visits} />
              <Fig label={t('uniqueVisitors')} value={tot.uniqueVisitors} />
              <Fig label={t('repeatVisitors')} value={tot.repeatVisitors} />
              <Fig label={t('helpedAgain')} value={tot.helpedAgain} />
              <Fig label={t('walkIns')} value={tot.walkInVisits} />
              <Fig label={t('newlyArrived')} value={tot.newlyArrived} />
              <Fig label={t('guideHours')} value={tot.guideHours} />
            </dl>
            <div class="charts">
              <Bars title={t('ageBands')} cells={tot.ageBands} name={ageBand} />
              <Bars title={t('gender')} cells={tot.gender} name={gender} />
              <Bars title={t('topics')} cells={tot.topics} name={topic} />
              <Bars title={t('platforms')} cells={tot.platforms} name={platform} />
            </div>
            <TopicsByPlatform cross={tot.topicsByPlatform} />
            <p class="muted">{t('small')}</p>
            {tot.unreportedSessions.length > 0 && (
              <Table
                caption={t('unreportedList')}
                columns={[t('date'), t('time'), t('venue')]}
                rows={tot.unreportedSessions.map((u) => ({
                  key: u.sessionId,
                  cells: [u.localDate, u.startTime, u.venue],
                }))}
              />
            )}
            <Table
              caption={t('perVenue')}
              columns={[t('venue'), t('sessions'), t('visits'), t('uniqueVisitors'), t('guideHours')]}
              rows={r.venues.map((v) => ({
                key: v.venueId,
                cells: [
                  v.name,
                  `${v.sessions.held} / ${v.sessions.planned}`,
                  String(v.visits),
                  String(v.uniqueVisitors),
                  v.guideHours,
                ],
              }))}
            />
            {r.guides.length > 0 && (
              <Table
                caption={t('guideHours')}
                columns={[t('name'), t('shifts'), t('hours'), t('noShows')]}
                rows={r.guides.map((g) => ({ key: g.guideId, cells: [g.name, g.shifts, g.hours, g.noShows] }))}
              />
            )}
          </section>
        );
      }}
    </Status>
  );
}

const Fig = ({ label, value }: { label: string; value: number | string }) => (
  <div>
    <dt>{label}</dt>
    <dd>{String(value)}</dd>
  </div>
);

/** A bar chart drawn as a list: the numbers stay readable text for screen readers and print. */
function Bars({ title, cells, name }: { title: string; cells: Record<string, Cell>; name: (k: string) => string }) {
  const entries = Object.entries(cells);
  const max = Math.max(1, ...entries.map(([, v]) => (typeof v === 'number' ? v : 2)));
  return (
    <figure class="bars">
      <figcaption>{title}</figcaption>
      {entries.length === 0 ? (
        <p class="muted">–</p>
      ) : (
        <ul>
          {entries.map(([k, v]) => (
            <li key={k}>
              <span class="bar-label">{name(k)}</span>
              <span class="bar-track" aria-hidden="true">
                <span style={{ width: `${((typeof v === 'number' ? v : v === '<3' ? 2 : 0) / max) * 100}%` }} />
              </span>
              <span class="bar-value">{String(v)}</span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

/** Topics by platform: a row per platform, a column per topic, and the cafés reported without it. */
function TopicsByPlatform({ cross }: { cross: R['total']['topicsByPlatform'] }) {
  const platforms = Object.keys(cross.cells).sort((a, b) => platform(a).localeCompare(platform(b), 'sv'));
  const topics = [...new Set(platforms.flatMap((p) => Object.keys(cross.cells[p])))].sort((a, b) =>
    topic(a).localeCompare(topic(b), 'sv'),
  );
  const n = cross.sessionsNotBrokenDown;
  return (
    <div class="by-platform">
      <h3>{w('byPlatform')}</h3>
      {platforms.length === 0 ? (
        <p>{w('noneByPlatform')}</p>
      ) : (
        <Table
          caption={w('byPlatform')}
          hideCaption
          columns={[w('platformColumn'), ...topics.map((k) => topic(k))]}
          rows={platforms.map((p) => ({
            key: p,
            cells: [platform(p), ...topics.map((k) => String(cross.cells[p][k] ?? 0))],
          }))}
        />
      )}
      {n > 0 && <p class="muted">{w('notBrokenDown', { n, cafes: plural(n, w('cafe'), w('cafes')) })}</p>}
    </div>
  );
}
