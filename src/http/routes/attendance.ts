import { z } from 'zod';
import { publicReport, reportCsv, reportHtml } from '../../reports/output';
import type { Services } from '../../services';
import { allow, EVERYONE, pathId, ROSTER } from '../access';
import { route } from '../route';
import type { Principal } from '../../domain/access';
import {
  CorrectReportBody,
  Report,
  ReportBody,
  ReportForm,
  ReportParams,
  SessionReport,
} from '../../contract/attendance';
import { reportForm, toReport } from '../report-form';
import { IdParams } from '../../contract/common';

/** Who may approve a worked time outside the café's time: a coordinator or an admin, not association staff. */
const approverOf = (p: Principal) => (p.role === 'coordinator' || p.role === 'admin' ? p.userId : null);

const fileName = (p: { period: string }, ext: string) => `bryggan-rapport-${p.period}.${ext}`;

export const attendanceRoutes = (services: Services) => {
  const { attendance, reports } = services;
  return [
    route({
      method: 'post',
      path: '/sessions/:id/report',
      tag: 'Attendance',
      summary: 'Record attendance after a café (once; correct it with PUT)',
      access: allow(ROSTER, pathId('session')),
      params: IdParams,
      body: ReportBody,
      response: SessionReport,
      status: 201,
      handler: async ({ params, body }, { principal }) =>
        toReport(await attendance.create(params.id, body, approverOf(principal))),
    }),
    route({
      method: 'put',
      path: '/sessions/:id/report',
      tag: 'Attendance',
      summary: 'Correct a recorded attendance, naming the revision corrected (audited)',
      access: allow(ROSTER, pathId('session')),
      params: IdParams,
      body: CorrectReportBody,
      response: SessionReport,
      handler: async ({ params, body }, { principal }) => {
        const { revision, ...input } = body;
        return toReport(await attendance.correct(params.id, input, revision, approverOf(principal)));
      },
    }),
    route({
      method: 'get',
      path: '/sessions/:id/report-form',
      tag: 'Attendance',
      summary: 'What the after-café form needs: seated seniors, guides on the schedule, the answers so far',
      access: allow(ROSTER, pathId('session')),
      params: IdParams,
      response: ReportForm,
      handler: async ({ params }) => reportForm(services, params.id),
    }),
    route({
      method: 'get',
      path: '/sessions/:id/report',
      tag: 'Attendance',
      summary: "A session's recorded attendance",
      access: allow(ROSTER, pathId('session')),
      params: IdParams,
      response: SessionReport,
      handler: async ({ params }) => toReport(await attendance.get(params.id)),
    }),
    route({
      method: 'get',
      path: '/contracts/:id/report-period',
      tag: 'Reports',
      summary: "The month a report opens on: the contract's latest month with a café reported (or held), null if none",
      access: allow(EVERYONE, pathId('contract')),
      params: IdParams,
      response: z.object({ period: z.string().nullable() }),
      handler: async ({ params }) => ({ period: await reports.latestPeriod(params.id) }),
    }),
    route({
      method: 'get',
      path: '/contracts/:id/reports/:period',
      tag: 'Reports',
      summary: "A contract's report for a month, quarter or year: counts only, small cells as <3",
      access: allow(EVERYONE, pathId('contract')),
      params: ReportParams,
      response: Report,
      handler: async ({ params }) => publicReport(await reports.figures(params.id, params.period)),
    }),
    route({
      method: 'get',
      path: '/contracts/:id/reports/:period/csv',
      tag: 'Reports',
      summary: 'The report as CSV for Excel (UTF-8 with BOM, semicolons)',
      access: allow(EVERYONE, pathId('contract')),
      params: ReportParams,
      response: z.string(),
      produces: 'text/csv; charset=utf-8',
      filename: ({ params }) => fileName(params, 'csv'),
      handler: async ({ params }) => reportCsv(await publicReport(await reports.figures(params.id, params.period))),
    }),
    route({
      method: 'get',
      path: '/contracts/:id/reports/:period/print',
      tag: 'Reports',
      summary: 'The report as one printable page with charts (HTML)',
      access: allow(EVERYONE, pathId('contract')),
      params: ReportParams,
      response: z.string(),
      produces: 'text/html; charset=utf-8',
      handler: async ({ params }) => reportHtml(await publicReport(await reports.figures(params.id, params.period))),
    }),
  ];
};
