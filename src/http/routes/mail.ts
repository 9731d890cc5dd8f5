import type { ListedMessage as Row } from '../../services/outbox.service';
import { preview } from '../../mail/previews';
import type { Services } from '../../services';
import type { AnswerView as View } from '../../services/answers.service';
import { allow, listScope, pathId, PLANNERS } from '../access';
import { toPage } from '../mappers';
import { route } from '../route';
import { IdParams, page } from '../../contract/common';
import { AnswerParams, AnswerView, OutboxMessage, OutboxQuery, Preview, PreviewParams } from '../../contract/mail';

const toMessage = (o: Row) => ({
  id: o.id,
  kind: o.kind,
  municipalityId: o.municipalityId,
  to: o.toAddress,
  guideId: o.guideId,
  guideName: o.guideName,
  sessionIds: o.sessionIds,
  fromName: o.fromName,
  subject: o.subject,
  status: o.status,
  attempts: o.attempts,
  nextAttemptAt: o.nextAttemptAt.toISOString(),
  lastError: o.lastError,
  createdAt: o.createdAt.toISOString(),
  sentAt: o.sentAt?.toISOString() ?? null,
});
const toView = (v: View) => ({
  ...v,
  session: v.session && {
    ...v.session,
    startsAt: v.session.startsAt.toISOString(),
    endsAt: v.session.endsAt.toISOString(),
  },
});

export const mailRoutes = ({ outbox, answers }: Services, now: () => Date) => [
  route({
    method: 'get',
    path: '/outbox',
    tag: 'Mail',
    summary: 'E-mails queued, sent and failed, newest first (no bodies); by guide or by café',
    access: allow(PLANNERS),
    query: OutboxQuery,
    response: page(OutboxMessage),
    handler: async ({ query }, { principal }) =>
      toPage(await outbox.list({ ...query, ...listScope(principal, query.municipalityId) }), toMessage),
  }),
  route({
    method: 'post',
    path: '/outbox/:id/resend',
    tag: 'Mail',
    summary: 'Send a message again: a failed one is queued anew, a sent one is copied',
    access: allow(PLANNERS, pathId('outboxMessage')),
    params: IdParams,
    response: OutboxMessage,
    handler: async ({ params }) => toMessage(await outbox.resend(params.id)),
  }),
  route({
    method: 'get',
    path: '/mail/previews/:kind',
    tag: 'Mail',
    summary: 'What a kind of message looks like, with made-up people (Swedish first, English below)',
    access: allow(PLANNERS),
    params: PreviewParams,
    response: Preview,
    handler: ({ params }) => Promise.resolve({ kind: params.kind, ...preview(params.kind, now()) }),
  }),
  route({
    method: 'get',
    path: '/answers/:token',
    tag: 'Guide',
    summary: "What a guide's confirm, decline or take link is about, changing nothing",
    access: 'public',
    params: AnswerParams,
    response: AnswerView,
    handler: async ({ params }) => toView(await answers.look(params.token)),
  }),
  route({
    method: 'post',
    path: '/answers/:token',
    tag: 'Guide',
    summary: 'Answer through the link: confirm, decline (frees the place) or take; answering twice is harmless',
    access: 'public',
    params: AnswerParams,
    response: AnswerView,
    handler: async ({ params }) => toView(await answers.answer(params.token)),
  }),
];
