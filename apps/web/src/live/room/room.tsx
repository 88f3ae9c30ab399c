/**
 * One live room: connects the LiveClient (endpoint from the API or the last
 * good answer), lays out header, stage, tiles, controls, chat and people, and
 * the end/removed/refused screens. Portrait first; side panel on wide screens.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { LiveErrorCode } from '@balai/live-contract/errors';
import { meStore } from '../../api/client';
import { t } from '../../i18n';
import { homeFor, navigate } from '../../router';
import { useStore } from '../../store';
import { formatDateTime } from '../../time';
import { testHooksEnabled } from '../dev-flag';
import { recentLiveEndpoint, resolveLiveEndpoint } from '../endpoint';
import { joinBackoffMs, LiveClient } from '../live-client';
import { liveToken } from '../prefetch';
import { QnaPanel } from '../interaction/qna-panel';
import { StageInteraction } from '../interaction/stage-interaction';
import { useInteractionSync } from '../interaction/use-interaction';
import { cachedRoomInfo, loadRoomInfo, RoomInfo } from '../room-info';
import { Chat } from './chat';
import { Controls } from './controls';
import { Audio } from './media-elements';
import { AudioOnlyOffer, Notices } from './notices';
import { People } from './people';
import { RecordingControl } from './recording-control';
import { RoomHeader } from './room-header';
import { Stage, Tiles } from './stage';
import './room.css';

function joinErrorText(code: string, opensAt: string | null): string {
  switch (code) {
    case LiveErrorCode.TooEarly:
      return opensAt ? t('sessionNotStarted', { t: formatDateTime(opensAt) }) : t('sessionNotStartedShort');
    case LiveErrorCode.SessionOver:
      return t('sessionEnded');
    case LiveErrorCode.NotAllowed:
    case LiveErrorCode.Forbidden:
      return t('notAllowed');
    case LiveErrorCode.Removed:
      return t('removedBody');
    case LiveErrorCode.SessionNotFound:
      return t('errNotFound');
    default:
      return t('connectionFailed');
  }
}

export function Room({ sessionId, initialStream }: { sessionId: string; initialStream: MediaStream | null }) {
  const client = useMemo(
    () =>
      new LiveClient({
        url: '',
        sessionId,
        getToken: liveToken,
      }),
    [sessionId],
  );
  const s = useStore(client.state);
  const [info, setInfo] = useState<RoomInfo | null>(() => cachedRoomInfo(sessionId));
  const [tab, setTab] = useState<'chat' | 'qna' | 'people'>('chat');
  const [notice, setNotice] = useState<string | null>(null);
  useInteractionSync(client, s);

  useEffect(() => {
    let cancelled = false;
    let uninstallHooks = () => undefined as void;
    if (testHooksEnabled())
      void import('../test-hooks').then((m) => {
        if (!cancelled) uninstallHooks = m.installTestHooks(client);
      });
    void loadRoomInfo(sessionId).then((i) => !cancelled && i && setInfo(i));
    client.setInitialTracks(initialStream);
    void (async () => {
      // The API may be down: use the remembered endpoint, or keep asking until it answers.
      for (let attempt = 1; !cancelled; attempt++) {
        // The answer "Kelas saya" fetched moments ago saves a round trip (#10 weak link).
        const ep = (attempt === 1 ? recentLiveEndpoint() : null) ?? (await resolveLiveEndpoint());
        if (cancelled) return;
        if (ep) {
          client.setEndpoint(ep.url, ep.path);
          await client.connect().catch(() => undefined);
          return;
        }
        client.waitingForEndpoint(attempt);
        await new Promise((r) => setTimeout(r, joinBackoffMs(attempt)));
      }
    })();
    const onPageHide = () => client.leaveNow();
    window.addEventListener('pagehide', onPageHide);
    return () => {
      cancelled = true;
      window.removeEventListener('pagehide', onPageHide);
      void client.leave();
      initialStream?.getTracks().forEach((tr) => tr.stop());
      uninstallHooks();
    };
  }, [client]);

  // Down with no known cause: if the API answers, the participant's internet is fine and the class server is not.
  const probing = (s.status === 'connecting' || s.status === 'reconnecting') && s.cause === 'network';
  useEffect(() => {
    if (!probing) return undefined;
    const probe = () =>
      void fetch('/api/health', { cache: 'no-store' }).then(
        () => client.liveUnreachable(),
        () => undefined,
      );
    // Not at once: a blip of a mobile link is over before the first probe.
    const timer = setInterval(probe, 3000);
    return () => clearInterval(timer);
  }, [probing]);

  if (s.status === 'ended' || s.status === 'removed') return <RoomClosed removed={s.status === 'removed'} />;

  // Refused for good (also on a re-join: the session ended meanwhile, the participant was removed).
  if (s.status === 'error') {
    const opensAt = (s.error?.details as { opensAt?: string } | undefined)?.opensAt ?? null;
    return (
      <div class="live">
        <div class="live-center">
          <h1>{info?.courseTitle ?? 'Balai'}</h1>
          <div class="banner banner-warn" role="alert" data-testid="join-error" data-code={s.error?.code}>
            {joinErrorText(s.error?.code ?? '', opensAt)}
          </div>
          <p>
            <button type="button" class="btn" onClick={() => location.reload()}>
              {t('retry')}
            </button>{' '}
            <a class="btn" href="#/kelas">
              {t('backToClasses')}
            </a>
          </p>
        </div>
      </div>
    );
  }

  return (
    <div class="live" data-status={s.status}>
      <RoomHeader s={s} client={client} info={info} onLeave={() => navigate('/kelas')} />
      <div class="live-body">
        <div class="live-main">
          <div class="stage-wrap">
            <Stage s={s} client={client} />
            <Notices s={s} client={client} notice={notice} setNotice={setNotice} />
            <AudioOnlyOffer s={s} client={client} />
          </div>
          <StageInteraction s={s} client={client} />
          <Tiles s={s} client={client} />
          <RecordingControl s={s} client={client} sessionId={sessionId} />
          <Controls s={s} client={client} onError={setNotice} />
        </div>
        <aside class="live-side">
          <div class="live-tabs" role="tablist">
            <button type="button" role="tab" aria-selected={tab === 'chat'} onClick={() => setTab('chat')}>
              {t('chat')} ({s.chat.length})
            </button>
            <button type="button" role="tab" aria-selected={tab === 'qna'} onClick={() => setTab('qna')}>
              {t('qnaTab')} ({Object.values(s.interaction.questions).filter((q) => q.status !== 'dismissed').length})
            </button>
            <button type="button" role="tab" aria-selected={tab === 'people'} onClick={() => setTab('people')}>
              {t('participants')} ({Object.keys(s.peers).length}){s.hands.length ? ` ✋${s.hands.length}` : ''}
            </button>
          </div>
          {tab === 'chat' ? (
            <Chat s={s} client={client} />
          ) : tab === 'qna' ? (
            <QnaPanel s={s} client={client} />
          ) : (
            <People s={s} client={client} />
          )}
        </aside>
      </div>
      {Object.values(s.media)
        .filter((m) => m.kind === 'audio')
        .map((m) => (
          <Audio key={m.consumerId} track={m.track} />
        ))}
    </div>
  );
}

/** The end screen: a participant goes back to "Kelas saya", a trainer or admin to their own home. */
function RoomClosed({ removed }: { removed: boolean }) {
  const me = useStore(meStore);
  const staff = !!me && me.role !== 'participant';
  return (
    <div class="live">
      <div class="live-center" data-testid="session-ended">
        <h1>{removed ? t('remove') : t('sessionEndedTitle')}</h1>
        <p>{removed ? t('removedBody') : staff ? t('sessionEndedBodyStaff') : t('sessionEndedBody')}</p>
        <a class="btn" href={`#${me ? homeFor(me.role) : '/kelas'}`}>
          {staff ? t('backToHome') : t('backToClasses')}
        </a>
      </div>
    </div>
  );
}
