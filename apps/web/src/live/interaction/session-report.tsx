/** A session's Q&A (sorted by upvotes, then time) and poll results after (or during) the session; CSV for staff. */
import { api, meStore } from '../../api/client';
import { t, useLang } from '../../i18n';
import { useStore } from '../../store';
import { formatDateTime } from '../../time';
import { Loaded, PageTitle, useLoad } from '../../ui';
import { interactionApi } from './interaction-api';
import './interaction.css';

const STATUS = { open: 'qnaStatusOpen', answered: 'qnaStatusAnswered', dismissed: 'qnaStatusDismissed' } as const;

export function SessionReport({ sessionId }: Record<string, string>) {
  useLang();
  const me = useStore(meStore);
  const staff = !!me && me.role !== 'participant';
  const state = useLoad(
    async () => ({ session: await api.session(sessionId!), report: await interactionApi.sessionReport(sessionId!) }),
    [sessionId],
  );
  return (
    <Loaded state={state}>
      {({ session, report }) => (
        <div class="session-report" data-testid="session-report">
          <PageTitle>{t('interactionReportTitle', { s: session.title })}</PageTitle>
          <p class="muted">{formatDateTime(session.startsAt)}</p>
          {staff && (
            <p class="row">
              <button type="button" class="btn" onClick={() => void interactionApi.questionsCsv(sessionId!)}>
                {t('downloadQuestionsCsv')}
              </button>
              <button type="button" class="btn" onClick={() => void interactionApi.pollsCsv(sessionId!)}>
                {t('downloadPollsCsv')}
              </button>
            </p>
          )}
          <h2>{t('pollTitle')}</h2>
          {report.polls.length === 0 ? (
            <p class="muted">{t('reportNoPolls')}</p>
          ) : (
            report.polls.map((p) => (
              <section key={p.id} class="card" data-testid="report-poll">
                <h3>{p.question}</h3>
                {p.counts ? (
                  <>
                    <ul class="list">
                      {p.options.map((o, i) => {
                        const n = p.counts![i] ?? 0;
                        const pct = p.voters ? Math.round((n / p.voters) * 100) : 0;
                        return (
                          <li key={i} data-testid="report-option">
                            {o}: <strong>{n}</strong> ({pct}%)
                          </li>
                        );
                      })}
                    </ul>
                    <p class="muted">{t('pollVoters', { n: p.voters ?? 0 })}</p>
                  </>
                ) : (
                  <p class="muted">{t('reportResultsHidden')}</p>
                )}
              </section>
            ))
          )}
          <h2>{t('qnaTab')}</h2>
          {report.questions.length === 0 ? (
            <p class="muted">{t('reportNoQuestions')}</p>
          ) : (
            <ol class="list" data-testid="report-questions">
              {report.questions.map((q) => (
                <li key={q.id} data-testid="report-question">
                  <strong>{q.text}</strong>
                  <br />
                  <span class="muted">
                    {q.authorName ?? t('qnaAnonymousName')}
                    {q.anonymous && staff ? ` (${t('qnaAnonymousName')})` : ''} · {t('reportUpvotes', { n: q.upvotes })}{' '}
                    · {t(STATUS[q.status])}
                  </span>
                  {q.answer && <p>{q.answer}</p>}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </Loaded>
  );
}
