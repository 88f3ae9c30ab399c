/**
 * The participant list, raised hands first. Staff get one "Tindakan" menu per
 * participant (invite/revoke, mute, stop camera, remove) instead of four
 * buttons that crowd a 360 px row.
 */
import { useState } from 'preact/hooks';
import type { PeerInfo } from '@balai/live-contract';
import { t } from '../../i18n';
import type { LiveClient } from '../live-client';
import type { LiveState } from '../room-state';
import { lt } from '../room-text';
import { isStaff } from './roles';

function PeerActions({ p, client }: { p: PeerInfo; client: LiveClient }) {
  const [open, setOpen] = useState(false);
  const act = (fn: () => Promise<unknown>) => {
    setOpen(false);
    void fn().catch(() => undefined);
  };
  const menuId = `peer-menu-${p.peerId}`;
  return (
    <>
      <button
        type="button"
        class="peer-menu-btn"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={lt('actionsFor', { name: p.name })}
        onClick={() => setOpen(!open)}
      >
        ⋯ {lt('actions')}
      </button>
      {open && (
        <div class="peer-menu" id={menuId} role="group" aria-label={lt('actionsFor', { name: p.name })}>
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
            class="danger"
            onClick={() => {
              if (confirm(t('removeConfirm', { name: p.name }))) act(() => client.remove(p.peerId));
              else setOpen(false);
            }}
          >
            {t('remove')}
          </button>
        </div>
      )}
    </>
  );
}

export function People({ s, client }: { s: LiveState; client: LiveClient }) {
  const staff = isStaff(s.self);
  const peers = Object.values(s.peers).sort((a, b) => {
    const ha = s.hands.indexOf(a.peerId);
    const hb = s.hands.indexOf(b.peerId);
    if (ha !== hb) return (ha < 0 ? 1e9 : ha) - (hb < 0 ? 1e9 : hb);
    return a.name.localeCompare(b.name);
  });
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
          {staff && p.role === 'participant' && <PeerActions p={p} client={client} />}
        </li>
      ))}
    </ul>
  );
}
