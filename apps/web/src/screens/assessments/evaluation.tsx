/** The evaluation survey on a phone: each statement rated 1-5 with large targets, plus free text. Anonymous. */
import { useState } from 'preact/hooks';
import { errorMessage } from '../../errors';
import { useLang } from '../../i18n';
import { Alert, Loaded, PageTitle, useLoad } from '../../ui';
import { assessApi } from './assess-api';
import { ta, AssessKey } from './i18n';
import './assessments.css';

export function EvaluationScreen({ id }: Record<string, string>) {
  useLang();
  const courseId = id!;
  const state = useLoad(() => assessApi.evaluation(courseId), [courseId]);
  const [ratings, setRatings] = useState<Record<string, number>>({});
  const [comment, setComment] = useState('');
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div class="assess narrow">
      <p>
        <a href={`#/kelas/${courseId}`}>← {ta('backToCourse')}</a>
      </p>
      <PageTitle>{ta('evaluationTitle')}</PageTitle>
      <Loaded state={state}>
        {(form) =>
          form.submitted ? (
            <Alert kind="success">{ta('evaluationSent')}</Alert>
          ) : (
            <form
              onSubmit={async (e) => {
                e.preventDefault();
                setMsg(null);
                if (form.items.some((i) => !ratings[i.id]))
                  return setMsg({ kind: 'error', text: ta('evaluationMissingItems') });
                setBusy(true);
                try {
                  await assessApi.submitEvaluation(courseId, {
                    ratings: form.items.map((i) => ({ itemId: i.id, value: ratings[i.id]! })),
                    comment: comment.trim() || undefined,
                  });
                  setMsg({ kind: 'success', text: ta('evaluationSent') });
                  state.reload();
                } catch (err) {
                  setMsg({ kind: 'error', text: errorMessage(err) });
                } finally {
                  setBusy(false);
                }
              }}
            >
              <Alert kind="info">{ta('evaluationIntro')}</Alert>
              <p class="hint">{ta('scaleHint')}</p>
              {form.items.map((item) => (
                <fieldset class="likert" key={item.id}>
                  <legend>
                    <span class="muted">{ta(`cat_${item.category}` as AssessKey)} · </span>
                    {item.text}
                  </legend>
                  <div class="likert-scale">
                    {[1, 2, 3, 4, 5].map((v) => (
                      <label class={ratings[item.id] === v ? 'on' : ''} key={v}>
                        <input
                          type="radio"
                          name={`r-${item.id}`}
                          value={v}
                          checked={ratings[item.id] === v}
                          onChange={() => setRatings({ ...ratings, [item.id]: v })}
                        />
                        {v}
                      </label>
                    ))}
                  </div>
                </fieldset>
              ))}
              <label for="eval-comment">{ta('comment')}</label>
              <textarea
                id="eval-comment"
                rows={4}
                maxLength={2000}
                value={comment}
                onInput={(e) => setComment((e.currentTarget as HTMLTextAreaElement).value)}
              />
              {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
              <button type="submit" class="btn btn-primary btn-block" disabled={busy} style={{ marginTop: '12px' }}>
                {ta('sendEvaluation')}
              </button>
            </form>
          )
        }
      </Loaded>
    </div>
  );
}
