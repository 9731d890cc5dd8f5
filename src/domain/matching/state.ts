import type { Problem } from './problem';
import type { ScoreBreakdown, Weights } from './types';

/**
 * A plan being improved: who works which session, with the bookkeeping that makes checking
 * and scoring one change cheap (a guide's sessions, minutes per week, each session's score).
 */
export class State {
  readonly members: number[][];
  readonly guideSessions: number[][];
  readonly weekMinutes: Float64Array;
  readonly guideMinutes: Float64Array;
  readonly sessionScore: Float64Array;

  constructor(readonly p: Problem) {
    this.members = p.sessions.map(() => []);
    this.guideSessions = p.guides.map(() => []);
    this.weekMinutes = new Float64Array(p.guides.length * p.weekCount);
    this.guideMinutes = new Float64Array(p.guides.length);
    this.sessionScore = new Float64Array(p.sessions.length);
    this.changed = new Uint8Array(p.sessions.length);
    p.sessions.forEach((_s, i) => (this.sessionScore[i] = this.localScore(i, this.members[i])));
  }

  /** Can guide g join session s (leaving session `leaving`, if given, at the same time)? */
  canJoin(g: number, s: number, leaving = -1): boolean {
    const p = this.p;
    if (!p.isEligible(s, g) || this.members[s].includes(g)) return false;
    const w = p.weekOf[s];
    let week = this.weekMinutes[g * p.weekCount + w] + p.minutes[s];
    if (leaving >= 0 && p.weekOf[leaving] === w) week -= p.minutes[leaving];
    if (week > p.guides[g].maxMinutesPerWeek + 1e-9) return false;
    for (const other of this.guideSessions[g]) if (other !== leaving && !p.compatible(s, other)) return false;
    return true;
  }

  add(g: number, s: number): void {
    this.touch(s);
    this.members[s].push(g);
    this.guideSessions[g].push(s);
    this.book(g, s, 1);
    this.sessionScore[s] = this.localScore(s, this.members[s]);
  }

  remove(g: number, s: number): void {
    this.touch(s);
    this.members[s].splice(this.members[s].indexOf(g), 1);
    this.guideSessions[g].splice(this.guideSessions[g].indexOf(s), 1);
    this.book(g, s, -1);
    this.sessionScore[s] = this.localScore(s, this.members[s]);
  }

  private book(g: number, s: number, sign: 1 | -1): void {
    const m = this.p.minutes[s] * sign;
    this.weekMinutes[g * this.p.weekCount + this.p.weekOf[s]] += m;
    this.guideMinutes[g] += m;
  }

  /** Everything of the score that belongs to one session, for a given set of guides. */
  localScore(s: number, members: readonly number[]): number {
    const b = this.localBreakdown(s, members, this.scratch);
    return b.filled + b.coverage + b.staffing + b.experience + b.language + b.continuity + b.stability;
  }

  /** The score change if guide g joins session s: its local score and g's fairness. */
  joinGain(g: number, s: number): number {
    const with1 = this.withOne;
    const members = this.members[s];
    with1.length = 0;
    for (let i = 0; i < members.length; i++) with1.push(members[i]);
    with1.push(g);
    const m = this.guideMinutes[g];
    return (
      this.localScore(s, with1) - this.sessionScore[s] + (this.fairness(g, m + this.p.minutes[s]) - this.fairness(g, m))
    );
  }

  private readonly withOne: number[] = [];
  private readonly scratch: Omit<Record<keyof Weights, number>, 'fairness'> = {
    filled: 0,
    coverage: 0,
    staffing: 0,
    experience: 0,
    language: 0,
    continuity: 0,
    stability: 0,
  };

  /**
   * The session's part of the score, term by term. Hot: flat arrays and plain loops, summed in the
   * order of the session's `demand` and `languages` keys (canonical: order.ts), so equal plans add
   * up to equal scores.
   */
  localBreakdown(
    s: number,
    members: readonly number[],
    out: Omit<Record<keyof Weights, number>, 'fairness'> = { ...this.scratch },
  ): Omit<Record<keyof Weights, number>, 'fairness'> {
    const p = this.p;
    const w = p.weights;
    const n = members.length;
    let coverage = 0;
    const P = p.platformCount;
    const platforms = p.demandPlatform[s];
    const demand = p.demandSeniors[s];
    for (let k = 0; k < platforms.length; k++) {
      const idx = platforms[k];
      for (let i = 0; i < n; i++)
        if (p.knowsFlag[members[i] * P + idx] === 1) {
          coverage += demand[k];
          break;
        }
    }
    let language = 0;
    const L = p.languageCount;
    const langs = p.languageIndex[s];
    const seniors = p.languageSeniors[s];
    for (let k = 0; k < langs.length; k++) {
      const idx = langs[k];
      for (let i = 0; i < n; i++)
        if (p.speaksFlag[members[i] * L + idx] === 1) {
          language += seniors[k];
          break;
        }
    }
    let hasNew = false;
    let hasExperienced = false;
    let continuity = 0;
    let stability = 0;
    for (let i = 0; i < n; i++) {
      const g = members[i];
      if (p.experienced[g] === 1) hasExperienced = true;
      else hasNew = true;
      if (p.hasBeenHere(s, g)) continuity++;
      continuity += p.helped(s, g);
      if (p.wasPrevious(s, g)) stability++;
    }
    out.filled = n >= p.sessions[s].minGuides ? w.filled : 0;
    out.coverage = coverage * w.coverage;
    out.staffing = Math.min(n, p.target[s]) * w.staffing;
    out.experience = hasNew && !hasExperienced ? -w.experience : 0;
    out.language = language * w.language;
    out.continuity = continuity * w.continuity;
    out.stability = stability * w.stability;
    return out;
  }

  /** The fairness penalty of one guide at a number of minutes: hours away from their fair share. */
  fairness(g: number, minutes: number): number {
    return (-this.p.weights.fairness * Math.abs(minutes - this.p.fairMinutes[g])) / 60;
  }

  total(): number {
    let sum = 0;
    for (let s = 0; s < this.sessionScore.length; s++) sum += this.sessionScore[s];
    for (let g = 0; g < this.guideMinutes.length; g++) sum += this.fairness(g, this.guideMinutes[g]);
    return sum;
  }

  breakdown(): ScoreBreakdown {
    const out: ScoreBreakdown = {
      filled: 0,
      coverage: 0,
      staffing: 0,
      experience: 0,
      language: 0,
      fairness: 0,
      continuity: 0,
      stability: 0,
      total: 0,
    };
    this.members.forEach((m, s) => {
      const b = this.localBreakdown(s, m);
      for (const k of Object.keys(b) as (keyof typeof b)[]) out[k] += b[k];
    });
    for (let g = 0; g < this.guideMinutes.length; g++) out.fairness += this.fairness(g, this.guideMinutes[g]);
    out.total =
      out.filled +
      out.coverage +
      out.staffing +
      out.experience +
      out.language +
      out.fairness +
      out.continuity +
      out.stability;
    return out;
  }

  snapshot(): number[][] {
    this.changed.fill(0);
    this.changedList.length = 0;
    return this.members.map((m) => [...m]);
  }

  /**
   * Brings a copy made by `snapshot()` up to date: only the sessions changed since, so keeping the
   * best plan during the search costs what the search changed, not the size of the plan.
   */
  refresh(copy: number[][]): void {
    for (const s of this.changedList) {
      copy[s] = [...this.members[s]];
      this.changed[s] = 0;
    }
    this.changedList.length = 0;
  }

  private readonly changed: Uint8Array;
  private readonly changedList: number[] = [];

  private touch(s: number): void {
    if (this.changed[s] === 1) return;
    this.changed[s] = 1;
    this.changedList.push(s);
  }
}
