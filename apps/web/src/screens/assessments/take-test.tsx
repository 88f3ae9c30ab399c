/**
 * Taking a pre-test or post-test on a phone: one question per screen, large
 * touch targets, progress and the server's remaining time. Every answer is
 * sent as it is given; without a connection it is kept in localStorage and
 * sent again as soon as the browser is back online, so a dropped connection
 * loses nothing. Reopening resumes the attempt on the server (same order, same
 * deadline, at the first unanswered question).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../errors';
import { useLang } from '../../i18n';
import { Alert, PageTitle, Spinner } from '../../ui';
import { assessApi, AttemptView, TestKind } from './assess-api';
import { ta } from './i18n';
import { AuthImage } from './auth-image';
import './assessments.css';

type Pending = Record<string, string[]>;
const pendingKey = (attemptId: string) => `balai.answers.${attemptId}`;

function readPending(attemptId: string): Pending {
  try {
    return JSON.parse(localStorage.getItem(pendingKey(attemptId)) ?? '{}') as Pending;
  } catch {
    return {};
  }
}
function writePending(attemptId: string, pending: Pending): void {
  try {
    if (Object.keys(pending).length) localStorage.setItem(pendingKey(attemptId), JSON.stringify(pending));
    else localStorage.removeItem(pendingKey(attemptId));
  } catch {
    /* private mode: the in-memory copy still retries */
  }
}

const mmss = (s: number) => `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;

export function TakeTest({ id, kind }: Record<string, string>) {
  useLang();
  const courseId = id!;
  const testKind = (kind === 'post' ? 'post' : 'pre') as TestKind;
  const [view, setView] = useState<AttemptView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [index, setIndex] = useState(0);
  const [selected, setSelected] = useState<Record<string, string[]>>({});
  const [pending, setPending] = useState<Pending>({});
  const [offline, setOffline] = useState(false);
  const [left, setLeft] = useState(0);
  const [busy, setBusy] = useState(false);
  const deadline = useRef(0);
  const flushing = useRef(false);

  const load = async () => {
    setError(null);
    try {
      const v = await assessApi.start(courseId, testKind);
      accept(v, true);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NO_ATTEMPTS_LEFT') {
        // Already done: show the last result.
        const tests = await assessApi.tests(courseId).catch(() => []);
        const last = tests.find((x) => x.kind === testKind)?.attempts.at(-1);
        if (last) return accept(await assessApi.attempt(last.id), true);
      }
      setError(errorMessage(e));
    }
  };

  const accept = (v: AttemptView, jump: boolean) => {
    const stored = readPending(v.id);
    setView(v);
    setSelected({ ...Object.fromEntries(v.questions.map((q) => [q.id, q.selected])), ...stored });
    setPending(stored);
    if (jump) setIndex(Math.min(v.currentIndex, v.questions.length - 1));
    deadline.current = Date.now() + v.remainingSeconds * 1000;
    setLeft(v.remainingSeconds);
  };

  useEffect(() => void load(), [courseId, testKind]);

  /** Sends what is waiting, oldest first; stops at the first network failure. */
  const flush = async (attemptId: string) => {
    if (flushing.current) return;
    flushing.current = true;
    try {
      let queue = readPending(attemptId);
      for (const [qid, optionIds] of Object.entries(queue)) {
        try {
          await assessApi.saveAnswer(attemptId, qid, optionIds);
          setOffline(false);
        } catch (e) {
          if (e instanceof ApiError && e.status === 0) {
            setOffline(true);
            return;
          }
          // Refused for good (time up, submitted): nothing to retry.
          if (e instanceof ApiError && (e.code === 'TIME_UP' || e.code === 'ATTEMPT_SUBMITTED')) {
            writePending(attemptId, {});
            setPending({});
            setView(await assessApi.attempt(attemptId));
            return;
          }
        }
        queue = readPending(attemptId);
        // A newer answer to the same question may have arrived meanwhile: only drop what was sent.
        if (JSON.stringify(queue[qid]) === JSON.stringify(optionIds)) delete queue[qid];
        writePending(attemptId, queue);
        setPending({ ...queue });
      }
    } finally {
      flushing.current = false;
    }
  };

  useEffect(() => {
    if (!view || view.status !== 'in_progress') return;
    const attemptId = view.id;
    const tick = setInterval(() => {
      const s = Math.max(0, Math.round((deadline.current - Date.now()) / 1000));
      setLeft(s);
      if (Object.keys(readPending(attemptId)).length) void flush(attemptId);
      if (s === 0) void finish(true);
    }, 1000);
    const online = () => void flush(attemptId);
    window.addEventListener('online', online);
    void flush(attemptId);
    return () => {
      clearInterval(tick);
      window.removeEventListener('online', online);
    };
  }, [view?.id, view?.status]);

  const choose = (qid: string, optionId: string, multiple: boolean) => {
    if (!view || view.status !== 'in_progress') return;
    const current = selected[qid] ?? [];
    const next = multiple
      ? current.includes(optionId)
        ? current.filter((x) => x !== optionId)
        : [...current, optionId]
      : [optionId];
    setSelected({ ...selected, [qid]: next });
    const queue = { ...readPending(view.id), [qid]: next };
    writePending(view.id, queue);
    setPending(queue);
    void flush(view.id);
  };

  const finish = async (auto = false) => {
    if (!view || busy) return;
    const unanswered = view.questions.filter((q) => !selected[q.id]?.length).length;
    if (!auto && unanswered > 0 && !confirm(ta('submitConfirm', { n: unanswered }))) return;
    setBusy(true);
    try {
      await flush(view.id);
      const result = await assessApi.submit(view.id);
      writePending(view.id, {});
      setPending({});
      setView(result);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (error && !view)
    return (
      <div class="assess narrow">
        <Alert kind="error">{error}</Alert>
        <a class="btn" href={`#/kelas/${courseId}`}>
          {ta('backToCourse')}
        </a>
      </div>
    );
  if (!view) return <Spinner />;
  const title = ta(testKind);

  if (view.status === 'submitted') return <Result view={view} courseId={courseId} title={title} />;

  const q = view.questions[index]!;
  const multiple = q.type === 'multiple';
  const answeredCount = view.questions.filter((x) => selected[x.id]?.length).length;
  const waiting = Object.keys(pending).length;
  return (
    <div class="assess narrow">
      <PageTitle>{title}</PageTitle>
      <div class="assess-status" role="group">
        <span data-testid="progress">{ta('questionOf', { i: index + 1, n: view.questions.length })}</span>
        <span
          class={`assess-timer${left < 60 ? ' assess-timer-low' : ''}`}
          role="timer"
          aria-label={ta('timeLeft')}
          data-testid="time-left"
        >
          {mmss(left)}
        </span>
      </div>
      <div
        class="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={view.questions.length}
        aria-valuenow={answeredCount}
        aria-label={ta('answered', { a: answeredCount, n: view.questions.length })}
      >
        <span style={{ width: `${(answeredCount / view.questions.length) * 100}%` }} />
      </div>
      <p class="hint">{ta('answered', { a: answeredCount, n: view.questions.length })}</p>
      {offline && <Alert kind="warn">{ta('offlineKept')}</Alert>}
      {error && <Alert kind="error">{error}</Alert>}
      <fieldset class="assess-question" key={q.id}>
        <legend>
          <span class="assess-qtext" data-testid="question-text">
            {q.text}
          </span>
          <span class="hint">{multiple ? ta('chooseMany') : ta('chooseOne')}</span>
        </legend>
        {q.imageUrl && <AuthImage class="assess-img" src={q.imageUrl} />}
        {q.options.map((o) => {
          const on = (selected[q.id] ?? []).includes(o.id);
          return (
            <label class={`assess-option${on ? ' assess-option-on' : ''}`} key={o.id}>
              <input
                type={multiple ? 'checkbox' : 'radio'}
                name={`q-${q.id}`}
                checked={on}
                onChange={() => choose(q.id, o.id, multiple)}
              />
              <span>{o.text}</span>
            </label>
          );
        })}
      </fieldset>
      <p class="hint" aria-live="polite" data-testid="save-state">
        {waiting ? (offline ? ta('pendingCount', { n: waiting }) : ta('saving')) : answeredCount ? ta('saved') : ''}
      </p>
      <div class="assess-nav">
        <button type="button" class="btn" disabled={index === 0} onClick={() => setIndex(index - 1)}>
          ← {ta('prev')}
        </button>
        {index < view.questions.length - 1 ? (
          <button type="button" class="btn btn-primary" onClick={() => setIndex(index + 1)}>
            {ta('next')} →
          </button>
        ) : (
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void finish()}>
            {ta('submit')}
          </button>
        )}
      </div>
      <nav class="assess-dots" aria-label={ta('answered', { a: answeredCount, n: view.questions.length })}>
        {view.questions.map((x, i) => (
          <button
            type="button"
            key={x.id}
            class={`assess-dot${selected[x.id]?.length ? ' assess-dot-done' : ''}${i === index ? ' assess-dot-here' : ''}`}
            aria-current={i === index ? 'step' : undefined}
            aria-label={ta('questionOf', { i: i + 1, n: view.questions.length })}
            onClick={() => setIndex(i)}
          >
            {i + 1}
          </button>
        ))}
      </nav>
    </div>
  );
}

function Result({ view, courseId, title }: { view: AttemptView; courseId: string; title: string }) {
  return (
    <div class="assess narrow">
      <PageTitle>{title}</PageTitle>
      <Alert kind="success">{view.closedBy === 'timeout' ? ta('timeUp') : ta('submitted')}</Alert>
      <p class="assess-score" data-testid="score">
        {ta('yourScore', { p: view.percent ?? 0 })}
      </p>
      {view.reviewAvailable ? (
        <>
          <h2>{ta('reviewTitle')}</h2>
          <ol class="assess-review">
            {view.questions.map((q) => (
              <li key={q.id} class={q.correct ? 'ok' : 'bad'}>
                <p>{q.text}</p>
                <p class="hint">
                  {ta('yourAnswer')}:{' '}
                  {q.options
                    .filter((o) => q.selected.includes(o.id))
                    .map((o) => o.text)
                    .join(', ') || ta('none')}
                  <br />
                  {ta('correctAnswer')}:{' '}
                  {q.options
                    .filter((o) => o.correct)
                    .map((o) => o.text)
                    .join(', ')}
                </p>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p class="muted">{ta('reviewLater')}</p>
      )}
      <a class="btn btn-block" href={`#/kelas/${courseId}`}>
        {ta('backToCourse')}
      </a>
    </div>
  );
}
