/**
 * Who sees recordings: admins, the course's trainers and its enrolled
 * participants (CourseAccess); everyone else gets 403. Playback URLs carry a
 * short-lived token signed for one user, recording and variant, because a
 * <video> element cannot send the bearer header; the media route checks it.
 */
import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Types } from 'mongoose';
import type { Readable } from 'node:stream';
import { AppException, AuthUser } from '@balai/common';
import type { RecordingVariantName } from '@balai/database';
import { forbidden, notFound } from '../common/errors';
import { CourseAccess } from '../courses/course-access';
import { SessionRepository } from '../sessions/session.repository';
import { RecordingEntryStatusDto, RecordingResponseDto } from './dto/recording.dto';
import { RecordingRecord, RecordingRepository } from './recording.repository';
import { RecordingStore } from './recording.store';

const PLAYBACK_TTL_SECONDS = 4 * 3600;
/** A running recording's heartbeat is written every 5 s by its live node; older than this, the node is gone. */
const LIVE_HEARTBEAT_MS = 30_000;
const RECORDING_NOT_FOUND = { id: 'Rekaman tidak ditemukan.', en: 'Recording not found.' };

interface PlaybackClaims {
  sub: string;
  rid: string;
  variant: RecordingVariantName;
  typ: 'recording-playback';
}

export interface RecordingMedia {
  size: number;
  filename: string;
  open(range?: { start: number; end: number }): Readable;
}

@Injectable()
export class RecordingsService {
  constructor(
    private readonly recordings: RecordingRepository,
    private readonly store: RecordingStore,
    private readonly access: CourseAccess,
    private readonly sessions: SessionRepository,
    private readonly jwt: JwtService,
  ) {}

  private toResponse(actor: AuthUser, r: RecordingRecord): RecordingResponseDto {
    const id = String(r._id);
    return {
      id,
      sessionId: String(r.sessionId),
      courseId: String(r.courseId),
      status: r.status,
      startedAt: r.startedAt.toISOString(),
      stoppedAt: r.stoppedAt?.toISOString(),
      durationSeconds: r.durationSeconds,
      progress: r.progress ?? 0,
      error: r.error,
      gaps: (r.gaps ?? []).map((g) => ({
        stream: g.stream,
        reason: g.reason,
        from: g.from.toISOString(),
        to: g.to.toISOString(),
      })),
      variants: (r.status === 'ready' ? (r.variants ?? []) : []).map((v) => {
        const claims: PlaybackClaims = { sub: actor.id, rid: id, variant: v.name, typ: 'recording-playback' };
        const token = this.jwt.sign(claims, { expiresIn: PLAYBACK_TTL_SECONDS });
        return {
          name: v.name,
          width: v.width,
          height: v.height,
          size: v.size,
          url: `/api/recordings/${id}/media/${v.name}?access=${encodeURIComponent(token)}`,
        };
      }),
    };
  }

  async listForCourse(actor: AuthUser, courseId: string): Promise<RecordingResponseDto[]> {
    const course = await this.access.forMember(actor, courseId, true);
    return (await this.recordings.byCourse(course._id)).map((r) => this.toResponse(actor, r));
  }

  async listForSession(actor: AuthUser, sessionId: string): Promise<RecordingResponseDto[]> {
    const session = await this.sessions.findById(sessionId);
    if (!session) throw notFound({ id: 'Sesi tidak ditemukan.', en: 'Session not found.' });
    await this.access.forMember(actor, String(session.courseId), true);
    return (await this.recordings.bySession(sessionId)).map((r) => this.toResponse(actor, r));
  }

  /**
   * For the screen before entering a session: is it being recorded now (a live node is writing a
   * recording of it and its heartbeat is fresh), and does the course record every session.
   */
  async entryStatus(actor: AuthUser, sessionId: string): Promise<RecordingEntryStatusDto> {
    const session = await this.sessions.findById(sessionId);
    if (!session) throw notFound({ id: 'Sesi tidak ditemukan.', en: 'Session not found.' });
    const course = await this.access.forMember(actor, String(session.courseId), true);
    const running = await this.recordings.runningOf(sessionId, new Date(Date.now() - LIVE_HEARTBEAT_MS));
    return {
      recording: !!running,
      startedAt: running?.startedAt.toISOString(),
      autoRecord: course.autoRecord === true,
    };
  }

  async get(actor: AuthUser, id: string): Promise<RecordingResponseDto> {
    const recording = await this.load(id);
    await this.access.forMember(actor, String(recording.courseId), true);
    return this.toResponse(actor, recording);
  }

  private async load(id: string): Promise<RecordingRecord> {
    const recording = await this.recordings.findById(id);
    if (!recording) throw notFound(RECORDING_NOT_FOUND);
    return recording;
  }

  /** The media of a variant for the holder of a valid playback token (403 otherwise). */
  async media(id: string, variant: RecordingVariantName, token: string | undefined): Promise<RecordingMedia> {
    let claims: PlaybackClaims;
    try {
      claims = this.jwt.verify<PlaybackClaims>(token ?? '');
    } catch {
      throw forbidden();
    }
    if (claims.typ !== 'recording-playback' || claims.rid !== id || claims.variant !== variant) throw forbidden();
    const recording = await this.load(id);
    const found = recording.status === 'ready' ? recording.variants.find((v) => v.name === variant) : undefined;
    if (!found) throw notFound(RECORDING_NOT_FOUND);
    const day = recording.startedAt.toISOString().slice(0, 10);
    return {
      size: found.size,
      filename: `rekaman-${day}-${variant}.mp4`,
      open: (range) => this.store.open({ store: found.store ?? 'gridfs', storageKey: found.storageKey }, range),
    };
  }

  /** Admins only (the controller's role check); files first, then the record. */
  async remove(id: string): Promise<void> {
    const recording = await this.load(id);
    for (const variant of recording.variants ?? [])
      await this.store.remove({ store: variant.store ?? 'gridfs', storageKey: variant.storageKey });
    await this.recordings.delete(new Types.ObjectId(id));
  }
}

export const rangeNotSatisfiable = () =>
  new AppException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, 'RANGE_NOT_SATISFIABLE', {
    id: 'Rentang byte tidak valid untuk berkas ini.',
    en: 'The byte range is not valid for this file.',
  });
