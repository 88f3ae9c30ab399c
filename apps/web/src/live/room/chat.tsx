/** The room chat: log (polite live region) and the send form; hosts can delete messages. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { LiveErrorCode } from '@balai/live-contract/errors';
import { t } from '../../i18n';
import { formatTime } from '../../time';
import { LiveClient, LiveRequestError } from '../live-client';
import type { LiveState } from '../room-state';
import { isStaff } from './roles';

export function Chat({ s, client }: { s: LiveState; client: LiveClient }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const logRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    logRef.current?.scrollTo(0, logRef.current.scrollHeight);
  }, [s.chat.length]);
  return (
    <>
      <ol class="chat-log" ref={logRef} aria-live="polite" aria-label={t('chat')} data-testid="chat-log">
        {s.chat.map((m) => (
          <li key={m.id}>
            <span class="who">{m.peerId === s.self?.peerId ? t('you') : m.name}</span>{' '}
            <span class="muted">{formatTime(m.at).replace(' WIB', '')}</span>
            <br />
            {m.text}
            {isStaff(s.self) && (
              <button
                type="button"
                class="link"
                aria-label={`hapus ${m.text.slice(0, 20)}`}
                onClick={() => void client.deleteChat(m.id).catch(() => undefined)}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ol>
      {error && (
        <p class="banner banner-error" role="alert">
          {error}
        </p>
      )}
      <form
        class="chat-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const v = text.trim();
          if (!v) return;
          setError(null);
          try {
            const m = await client.sendChat(v);
            setText('');
            client.addChat(m);
          } catch (err) {
            setError(
              err instanceof LiveRequestError && err.error.code === LiveErrorCode.RateLimited
                ? t('errTooMany')
                : t('errGeneric'),
            );
          }
        }}
      >
        <label class="sr-only" for="chat-input">
          {t('chatPlaceholder')}
        </label>
        <input
          id="chat-input"
          value={text}
          maxLength={1000}
          placeholder={t('chatPlaceholder')}
          onInput={(e) => setText(e.currentTarget.value)}
          autoComplete="off"
        />
        <button type="submit" class="btn">
          {t('send')}
        </button>
      </form>
    </>
  );
}
