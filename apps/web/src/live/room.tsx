/**
 * The live classroom screen (loaded on demand). Portrait-first: stage on top,
 * speaker tiles, controls, then chat/participants; side panel on wide screens.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PeerInfo } from '@balai/live-contract/payloads';
import { api, getAccessToken, meStore, refreshTokens } from '../api/client';
import { t, useLang } from '../i18n';
import { navigate } from '../router';
import { useStore } from '../store';
import { formatDateTime, formatTime } from '../time';
import { LiveClient, LiveRequestError, LiveState, RemoteMedia } from './live-client';

declare global {
  interface Window {
    BALAI_CONFIG?: { liveUrl?: string; livePath?: string };
    __balaiLive?: LiveClient;
  }
}

async function liveEndpoint(): Promise<{ url: string; path?: string }> {
  const injected = window.BALAI_CONFIG;
  if (injected?.liveUrl) return { url: injected.liveUrl, path: injected.livePath };
  try {
    const c = await api.liveConfig();
    if (c.liveUrl) return { url: c.liveUrl, path: c.socketPath };
  } catch {
    /* same origin */
  }
  return { url: location.origin };
}

function Video({ track, muted, onSize, label }: { track: MediaStreamTrack; muted?: boolean; onSize?: (w: number, h: number) => void; label?: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([track]);
    void el.play().catch(() => undefined);
    if (onSize) {
      const report = () => onSize(el.clientWidth, el.clientHeight);
      report();
      const ro = new ResizeObserver(report);
      ro.observe(el);
      return () => ro.disconnect();
    }
    return undefined;
  }, [track]);
  return <video ref={ref} autoPlay playsInline muted={muted ?? true} aria-label={label} />;
}

function Audio({ track }: { track: MediaStreamTrack }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    ref.current.srcObject = new MediaStream([track]);
    void ref.current.play().catch(() => undefined);
  }, [track]);
  return <audio ref={ref} autoPlay />;
}

const canPublish = (p: PeerInfo | null) => !!p && (p.role === 'host' || p.role === 'moderator');
const isStaff = canPublish;

/** Camera + microphone preview before entering, for those allowed to publish. */
function DeviceCheck({ onDone }: { onDone: (stream: MediaStream | null) => void }) {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<'denied' | 'missing' | null>(null);
  const [level, setLevel] = useState(0);
  const videoRef = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    let raf = 0;
    let ctx: AudioContext | null = null;
    let s: MediaStream | null = null;
    navigator.mediaDevices
      ?.getUserMedia({ audio: true, video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 20 } } })
      .then((ms) => {
        s = ms;
        setStream(ms);
        if (videoRef.current) videoRef.current.srcObject = ms;
        try {
          ctx = new AudioContext();
          const analyser = ctx.createAnalyser();
          ctx.createMediaStreamSource(ms).connect(analyser);
          const data = new Uint8Array(analyser.frequencyBinCount);
          const tick = () => {
            analyser.getByteFrequencyData(data);
            setLevel(Math.min(100, (data.reduce((a, b) => a + b, 0) / data.length) * 1.5));
            raf = requestAnimationFrame(tick);
          };
          tick();
        } catch {
          /* no level meter */
        }
      })
      .catch((e: unknown) => setError(e instanceof DOMException && (e.name === 'NotAllowedError' || e.name === 'SecurityError') ? 'denied' : 'missing'));
    if (!navigator.mediaDevices) setError('missing');
    return () => {
      cancelAnimationFrame(raf);
      void ctx?.close();
      void s;
    };
  }, []);
  return (
    <div class="live-center">
      <h1>{t('deviceCheck')}</h1>
      <p>{t('deviceCheckIntro')}</p>
      {error && (
        <div class="banner banner-error" role="alert">
          {error === 'denied' ? t('cameraDenied') : t('cameraMissing')}
        </div>
      )}
      {!error && <video ref={videoRef} class="preview" autoPlay playsInline muted aria-label={t('camera')} />}
      {!error && (
        <div class="mic-level" role="meter" aria-label={t('microphone')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level)}>
          <span style={{ width: `${level}%` }} />
        </div>
      )}
      <div class="row" style={{ justifyContent: 'center' }}>
        {stream && (
          <button type="button" class="btn" data-testid="enter-room" onClick={() => onDone(stream)}>
            {t('enterRoom')}
          </button>
        )}
        {error && (
          <button type="button" class="btn" onClick={() => onDone(null)}>
            {t('enterWithoutCamera')}
          </button>
        )}
      </div>
    </div>
  );
}

function joinErrorText(code: string, opensAt: string | null): string {
  switch (code) {
    case 'TOO_EARLY':
      return opensAt ? t('sessionNotStarted', { t: formatDateTime(opensAt) }) : t('sessionNotStartedShort');
    case 'SESSION_OVER':
      return t('sessionEnded');
    case 'NOT_ALLOWED':
    case 'FORBIDDEN':
      return t('notAllowed');
    case 'REMOVED':
      return t('removedBody');
    case 'SESSION_NOT_FOUND':
      return t('errNotFound');
    default:
      return t('connectionFailed');
  }
}

export function LiveRoom({ sessionId }: Record<string, string>) {
  useLang();
  const me = useStore(meStore);
  const [phase, setPhase] = useState<'check' | 'room'>(me && (me.role === 'trainer' || me.role === 'admin') ? 'check' : 'room');
  const [initialStream, setInitialStream] = useState<MediaStream | null>(null);
  if (phase === 'check')
    return (
      <div class="live">
        <DeviceCheck
          onDone={(s) => {
            setInitialStream(s);
            setPhase('room');
          }}
        />
      </div>
    );
  return <Room sessionId={sessionId!} initialStream={initialStream} />;
}

function Room({ sessionId, initialStream }: { sessionId: string; initialStream: MediaStream | null }) {
  const client = useMemo(
    () =>
      new LiveClient({
        url: '',
        sessionId,
        getToken: async () => getAccessToken() ?? ((await refreshTokens()) ? getAccessToken() : null),
      }),
    [sessionId],
  );
  const s = useStore(client.state);
  const [startsAt, setStartsAt] = useState<string | null>(null);
  const [tab, setTab] = useState<'chat' | 'people'>('chat');
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    window.__balaiLive = client;
    let cancelled = false;
    void (async () => {
      const ep = await liveEndpoint();
      if (cancelled) return;
      client.setEndpoint(ep.url, ep.path);
      try {
        await client.connect();
        if (initialStream) {
          const [a] = initialStream.getAudioTracks();
          const [v] = initialStream.getVideoTracks();
          if (v) await client.publish('camera', v).catch(() => undefined);
          if (a) await client.publish('mic', a).catch(() => undefined);
        }
      } catch (e) {
        if (e instanceof LiveRequestError && e.error.code === 'TOO_EARLY') {
          // The live service says when the room opens; tell the participant when to come back.
          const d = e.error.details as { opensAt?: string } | undefined;
          setStartsAt(d?.opensAt ?? null);
        }
      }
    })();
    const leave = () => void client.leave();
    window.addEventListener('pagehide', leave);
    return () => {
      cancelled = true;
      window.removeEventListener('pagehide', leave);
      void client.leave();
      initialStream?.getTracks().forEach((tr) => tr.stop());
      if (window.__balaiLive === client) delete window.__balaiLive;
    };
  }, [client]);

  if (s.status === 'ended' || s.status === 'removed')
    return (
      <div class="live">
        <div class="live-center" data-testid="session-ended">
          <h1>{s.status === 'removed' ? t('remove') : t('sessionEndedTitle')}</h1>
          <p>{s.status === 'removed' ? t('removedBody') : t('sessionEndedBody')}</p>
          <a class="btn" href="#/kelas">
            {t('backToClasses')}
          </a>
        </div>
      </div>
    );

  if (s.status === 'error' && !s.self)
    return (
      <div class="live">
        <div class="live-center">
          <h1>Balai</h1>
          <div class="banner banner-warn" role="alert" data-testid="join-error">
            {joinErrorText(s.error?.code ?? '', startsAt)}
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

  return (
    <div class="live" data-status={s.status}>
      <RoomTop s={s} client={client} />
      {s.status === 'connecting' && (
        <div class="banner banner-info" role="status">
          {t('connecting')}
        </div>
      )}
      {s.status === 'reconnecting' && (
        <div class="banner banner-warn" role="alert" data-testid="reconnecting">
          {t('reconnecting')} {t('connectionLost')}
        </div>
      )}
      {s.offerAudioOnly && (
        <div class="banner banner-warn" role="alert" data-testid="audio-only-offer">
          {t('audioOnlyOffer')}
          <button type="button" class="btn" onClick={() => void client.setAudioOnly(true)}>
            {t('audioOnlyAccept')}
          </button>
          <button type="button" class="btn" onClick={() => client.declineAudioOnly()}>
            {t('audioOnlyDecline')}
          </button>
        </div>
      )}
      {s.invited && !s.local.mic && (
        <div class="banner banner-info" role="alert" data-testid="speak-invite">
          {t('invitedToSpeak')}
          <button
            type="button"
            class="btn"
            onClick={async () => {
              try {
                const st = await navigator.mediaDevices.getUserMedia({ audio: true, video: s.invited?.camera ?? false });
                const [a] = st.getAudioTracks();
                const [v] = st.getVideoTracks();
                if (a) await client.publish('mic', a);
                if (v) await client.publish('camera', v);
                client.dismissInvite();
              } catch (e) {
                setNotice(e instanceof DOMException && e.name === 'NotAllowedError' ? t('cameraDenied') : t('cameraMissing'));
              }
            }}
          >
            {t('acceptSpeak')}
          </button>
        </div>
      )}
      {s.mutedByHost && !s.local.mic && (
        <div class="banner banner-info" role="status" data-testid="muted-by-host">
          {t('mutedByHost')}
        </div>
      )}
      {notice && (
        <div class="banner banner-error" role="alert">
          {notice}
        </div>
      )}
      <div class="live-body">
        <div class="live-main">
          <Stage s={s} client={client} />
          <Tiles s={s} client={client} />
          <Controls s={s} client={client} onError={setNotice} />
        </div>
        <aside class="live-side">
          <div class="live-tabs" role="tablist">
            <button type="button" role="tab" aria-selected={tab === 'chat'} onClick={() => setTab('chat')}>
              {t('chat')} ({s.chat.length})
            </button>
            <button type="button" role="tab" aria-selected={tab === 'people'} onClick={() => setTab('people')}>
              {t('participants')} ({Object.keys(s.peers).length}){s.hands.length ? ` ✋${s.hands.length}` : ''}
            </button>
          </div>
          {tab === 'chat' ? <Chat s={s} client={client} /> : <People s={s} client={client} />}
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

function RoomTop({ s, client }: { s: LiveState; client: LiveClient }) {
  const q = s.quality ?? 'good';
  return (
    <div class="live-top">
      <h1 class="title">Balai · {t('stage')}</h1>
      <span class={`q q-${q}`} data-testid="quality" data-quality={q} aria-label={`${t('quality')}: ${t(`quality_${q === 'bad' ? 'poor' : q}` as 'quality_good')}`} role="img">
        <span class="q-dot" aria-hidden="true" />
        {t(`quality_${q === 'bad' ? 'poor' : q}` as 'quality_good')}
      </span>
      {s.audioOnly && <span>🔈 {t('audioOnlyOn')}</span>}
      <button
        type="button"
        class="btn"
        onClick={async () => {
          await client.leave();
          navigate('/kelas');
        }}
      >
        {t('leave')}
      </button>
    </div>
  );
}

/** Screen share first, then the host's camera, then whoever speaks. */
function pickStage(s: LiveState): RemoteMedia | null {
  if (s.audioOnly) return null;
  const video = Object.values(s.media).filter((m) => m.kind === 'video');
  const role = (peerId: string) => s.peers[peerId]?.role;
  return (
    video.find((m) => m.source === 'screen' && role(m.peerId) !== 'participant') ??
    video.find((m) => m.source === 'screen') ??
    video.find((m) => m.source === 'camera' && role(m.peerId) === 'host') ??
    video.find((m) => m.source === 'camera' && role(m.peerId) === 'moderator') ??
    video.find((m) => m.peerId === s.activeSpeaker) ??
    video[0] ??
    null
  );
}

function Stage({ s, client }: { s: LiveState; client: LiveClient }) {
  const stage = pickStage(s);
  const ownScreen = s.local.screen;
  const name = stage ? s.peers[stage.peerId]?.name ?? '' : '';
  return (
    <section class="stage" aria-label={t('stage')} data-testid="stage">
      {stage ? (
        <>
          <Video key={stage.consumerId} track={stage.track} label={name} onSize={(w, h) => client.reportViewport(stage.consumerId, w, h)} />
          <span class="stage-label">
            {name}
            {stage.source === 'screen' ? ` · ${t('shareScreen')}` : ''}
          </span>
        </>
      ) : ownScreen ? (
        <>
          <Video track={ownScreen} label={t('you')} />
          <span class="stage-label">{t('you')} · {t('shareScreen')}</span>
        </>
      ) : s.local.camera && isStaff(s.self) && !s.audioOnly ? (
        <>
          <Video track={s.local.camera} label={t('you')} />
          <span class="stage-label">{t('you')}</span>
        </>
      ) : (
        <p class="placeholder">{s.audioOnly ? `🔈 ${t('audioOnlyOn')}` : t('waitingHost')}</p>
      )}
    </section>
  );
}

function Tiles({ s, client }: { s: LiveState; client: LiveClient }) {
  const stage = pickStage(s);
  const others = s.audioOnly ? [] : Object.values(s.media).filter((m) => m.kind === 'video' && m.consumerId !== stage?.consumerId);
  const speakers = Object.values(s.peers).filter((p) => p.canSpeak && p.peerId !== s.self?.peerId && !others.some((m) => m.peerId === p.peerId) && stage?.peerId !== p.peerId);
  const micOn = (peerId: string) => Object.values(s.producers).some((p) => p.peerId === peerId && p.source === 'mic' && !p.paused);
  const showSelf = s.local.camera && !(isStaff(s.self) && !stage && !s.local.screen);
  if (!others.length && !speakers.length && !showSelf) return null;
  return (
    <ul class="tiles" aria-label={t('participants')}>
      {showSelf && (
        <li class="tile">
          <Video track={s.local.camera!} label={t('you')} />
          <span class="name">{t('you')}</span>
        </li>
      )}
      {others.map((m) => (
        <li key={m.consumerId} class={`tile${s.activeSpeaker === m.peerId ? ' speaking' : ''}`}>
          <Video track={m.track} label={s.peers[m.peerId]?.name} onSize={(w, h) => client.reportViewport(m.consumerId, w, h)} />
          <span class="name">
            {micOn(m.peerId) ? '🎤' : '🔇'} {s.peers[m.peerId]?.name}
          </span>
        </li>
      ))}
      {speakers.map((p) => (
        <li key={p.peerId} class={`tile${s.activeSpeaker === p.peerId ? ' speaking' : ''}`}>
          <span aria-hidden="true" style={{ fontSize: '2rem' }}>
            {p.name.slice(0, 1).toUpperCase()}
          </span>
          <span class="name">
            {micOn(p.peerId) ? '🎤' : '🔇'} {p.name}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Controls({ s, client, onError }: { s: LiveState; client: LiveClient; onError: (m: string | null) => void }) {
  const self = s.self;
  const mayMic = !!self && (self.canSpeak || isStaff(self));
  const mayCam = !!self && (self.canCamera || isStaff(self));
  const handUp = !!self && s.hands.includes(self.peerId);
  const media = async (kind: 'mic' | 'camera') => {
    onError(null);
    if (s.local[kind]) {
      await client.unpublish(kind);
      return;
    }
    try {
      const st = await navigator.mediaDevices.getUserMedia(kind === 'mic' ? { audio: true } : { video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 20 } } });
      await client.publish(kind, st.getTracks()[0]!);
    } catch (e) {
      onError(e instanceof DOMException && (e.name === 'NotAllowedError' || e.name === 'SecurityError') ? t('cameraDenied') : t('cameraMissing'));
    }
  };
  return (
    <div class="controls" role="toolbar" aria-label={t('controls')}>
      {mayMic && (
        <button type="button" class={s.local.mic ? '' : 'off'} aria-pressed={!!s.local.mic} onClick={() => void media('mic')} data-testid="toggle-mic">
          {s.local.mic ? `🎤 ${t('micOn')}` : `🔇 ${t('micOff')}`}
        </button>
      )}
      {mayCam && (
        <button type="button" class={s.local.camera ? '' : 'off'} aria-pressed={!!s.local.camera} onClick={() => void media('camera')} data-testid="toggle-cam">
          {s.local.camera ? `📷 ${t('camOn')}` : `🚫 ${t('camOff')}`}
        </button>
      )}
      {isStaff(self) && 'getDisplayMedia' in (navigator.mediaDevices ?? {}) && (
        <button
          type="button"
          aria-pressed={!!s.local.screen}
          data-testid="share-screen"
          onClick={async () => {
            if (s.local.screen) return void client.unpublish('screen');
            try {
              const st = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 10 } }, audio: false });
              await client.publish('screen', st.getVideoTracks()[0]!);
            } catch {
              /* cancelled by the user */
            }
          }}
        >
          🖥 {s.local.screen ? t('stopShare') : t('shareScreen')}
        </button>
      )}
      {self?.role === 'participant' && (
        <button type="button" aria-pressed={handUp} data-testid="raise-hand" onClick={() => void (handUp ? client.lowerHand() : client.raiseHand()).catch(() => undefined)}>
          ✋ {handUp ? t('lowerHand') : t('raiseHand')}
        </button>
      )}
      <button type="button" aria-pressed={s.audioOnly} data-testid="audio-only" onClick={() => void client.setAudioOnly(!s.audioOnly)}>
        {s.audioOnly ? `🎬 ${t('videoOn')}` : `🔈 ${t('audioOnly')}`}
      </button>
      {isStaff(self) && (
        <button
          type="button"
          class="danger"
          data-testid="end-session"
          onClick={() => {
            if (confirm(t('endConfirm'))) void client.endSession().catch(() => undefined);
          }}
        >
          {t('endSession')}
        </button>
      )}
      {handUp && (
        <p class="sr-only" role="status">
          {t('handRaised')}
        </p>
      )}
    </div>
  );
}

function Chat({ s, client }: { s: LiveState; client: LiveClient }) {
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
            <span class="who">{m.peerId === s.self?.peerId ? t('you') : m.name}</span> <span class="muted">{formatTime(m.at).replace(' WIB', '')}</span>
            <br />
            {m.text}
            {isStaff(s.self) && (
              <button type="button" class="link" aria-label={`hapus ${m.text.slice(0, 20)}`} onClick={() => void client.deleteChat(m.id).catch(() => undefined)}>
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
            client.state.set((st) => (st.chat.some((c) => c.id === m.id) ? st : { ...st, chat: [...st.chat, m] }));
          } catch (err) {
            setError(err instanceof LiveRequestError && err.error.code === 'RATE_LIMITED' ? t('errTooMany') : t('errGeneric'));
          }
        }}
      >
        <label class="sr-only" for="chat-input">
          {t('chatPlaceholder')}
        </label>
        <input id="chat-input" value={text} maxLength={1000} placeholder={t('chatPlaceholder')} onInput={(e) => setText(e.currentTarget.value)} autoComplete="off" />
        <button type="submit" class="btn">
          {t('send')}
        </button>
      </form>
    </>
  );
}

function People({ s, client }: { s: LiveState; client: LiveClient }) {
  const staff = isStaff(s.self);
  const peers = Object.values(s.peers).sort((a, b) => {
    const ha = s.hands.indexOf(a.peerId);
    const hb = s.hands.indexOf(b.peerId);
    if (ha !== hb) return (ha < 0 ? 1e9 : ha) - (hb < 0 ? 1e9 : hb);
    return a.name.localeCompare(b.name);
  });
  const act = (fn: () => Promise<unknown>) => void fn().catch(() => undefined);
  return (
    <ul class="people" aria-label={t('participants')} data-testid="people">
      {peers.map((p) => (
        <li key={p.peerId} data-peer={p.name}>
          <span class="n">
            {s.hands.includes(p.peerId) && <span aria-label={t('raisedHands')}>✋ </span>}
            {p.name}
            {p.peerId === s.self?.peerId ? ` (${t('you')})` : ''}
            {p.role !== 'participant' ? ` · ${p.role === 'host' ? t('roleHost') : t('roleModerator')}` : ''}
          </span>
          {staff && p.role === 'participant' && (
            <>
              {!p.canSpeak ? (
                <button type="button" onClick={() => act(() => client.invite(p.peerId, false))}>
                  {t('inviteSpeak')}
                </button>
              ) : (
                <button type="button" onClick={() => act(() => client.revoke(p.peerId))}>
                  {t('revokeSpeak')}
                </button>
              )}
              <button type="button" onClick={() => act(() => client.mute(p.peerId))}>
                {t('mute')}
              </button>
              <button type="button" onClick={() => act(() => client.stopCamera(p.peerId))}>
                {t('stopCamera')}
              </button>
              <button
                type="button"
                onClick={() => {
                  if (confirm(t('removeConfirm', { name: p.name }))) act(() => client.remove(p.peerId));
                }}
              >
                {t('remove')}
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
