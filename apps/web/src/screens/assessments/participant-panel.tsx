/** On a participant's course page: both tests, the evaluation, and what the certificate still needs. */
import { useLang } from '../../i18n';
import { formatDateTime } from '../../time';
import { Alert, Badge, Loaded, useLoad } from '../../ui';
import { assessApi, Requirements, TestStatus } from './assess-api';
import { ta, AssessKey } from './i18n';
import './assessments.css';

function reasonText(reason: string, r: Requirements): string {
  const vars = {
    a: Math.round(r.attendancePercent),
    m: reason === 'BELOW_THRESHOLD' ? r.minAttendancePercent : (r.minPostTestPercent ?? 0),
    p: r.postTestPercent ?? 0,
  };
  const key = `reason_${reason}` as AssessKey;
  return ta(key, vars) === key ? reason : ta(key, vars);
}

function TestCard({ courseId, s }: { courseId: string; s: TestStatus }) {
  const label = ta(s.kind);
  const running = s.attempts.find((a) => a.status === 'in_progress');
  return (
    <div class="card" data-testid={`test-card-${s.kind}`}>
      <h3 class="h3">{label}</h3>
      {!s.enabled ? (
        <p class="muted">{ta('testDisabled', { k: label })}</p>
      ) : (
        <>
          <Badge tone={s.phase === 'open' ? 'ok' : 'muted'}>{ta(`phase_${s.phase}` as AssessKey)}</Badge>
          <p class="hint">{ta('limits', { n: s.questionCount, m: s.timeLimitMinutes, a: s.maxAttempts })}</p>
          {s.phase === 'not_open' && s.opensAt && <p class="hint">{ta('opensAt', { t: formatDateTime(s.opensAt) })}</p>}
          {s.phase === 'open' && s.closesAt && <p class="hint">{ta('closesAt', { t: formatDateTime(s.closesAt) })}</p>}
          {s.bestPercent !== undefined && (
            <p data-testid={`score-${s.kind}`}>{ta('yourScore', { p: s.bestPercent })}</p>
          )}
          {s.phase === 'open' && (running || s.attemptsLeft > 0) && s.questionCount > 0 && (
            <a class="btn btn-primary btn-block" href={`#/kelas/${courseId}/tes/${s.kind}`}>
              {running ? ta('resumeTest', { k: label }) : ta('startTest', { k: label })}
            </a>
          )}
          {s.phase === 'open' && !running && s.attemptsLeft === 0 && <p class="muted">{ta('noAttemptsLeft')}</p>}
        </>
      )}
    </div>
  );
}

export function AssessmentPanel({ courseId }: { courseId: string }) {
  useLang();
  const state = useLoad(async () => {
    const [tests, evaluation, requirements] = await Promise.all([
      assessApi.tests(courseId),
      assessApi.evaluation(courseId).catch(() => null),
      assessApi.requirements(courseId).catch(() => null),
    ]);
    return { tests, evaluation, requirements };
  }, [courseId]);
  return (
    <section aria-labelledby="assess-h" class="assess">
      <h2 id="assess-h">{ta('testsTitle')}</h2>
      <Loaded state={state}>
        {({ tests, evaluation, requirements }) => (
          <>
            <div class="assess-cards">
              {tests.map((s) => (
                <TestCard key={s.kind} courseId={courseId} s={s} />
              ))}
              {evaluation && (
                <div class="card" data-testid="evaluation-card">
                  <h3 class="h3">{ta('evaluationTitle')}</h3>
                  {evaluation.submitted ? (
                    <Badge tone="ok">{ta('evaluationDone')}</Badge>
                  ) : (
                    <a class="btn btn-block" href={`#/kelas/${courseId}/evaluasi`}>
                      {ta('fillEvaluation')}
                    </a>
                  )}
                </div>
              )}
            </div>
            {requirements && (
              <div data-testid="certificate-requirements">
                <h3>{ta('certTitle')}</h3>
                {requirements.certified ? (
                  <Alert kind="success">
                    {ta('certIssued')} <a href="#/sertifikat">{ta('seeCertificates')}</a>
                  </Alert>
                ) : requirements.eligible ? (
                  <Alert kind="success">{ta('certReady')}</Alert>
                ) : (
                  <Alert kind="warn">
                    <ul class="plain">
                      {requirements.reasons.map((r) => (
                        <li key={r}>{reasonText(r, requirements)}</li>
                      ))}
                    </ul>
                  </Alert>
                )}
              </div>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}
