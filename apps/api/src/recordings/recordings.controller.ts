import { Controller, Delete, Get, Headers, HttpCode, HttpStatus, Logger, Param, Query, Res } from '@nestjs/common';
import {
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '@balai/common';
import { RECORDING_VARIANTS, RecordingVariantName } from '@balai/database';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators';
import { ApiAuth, ApiErrorResponses, ApiFileResponse } from '../common/api-docs';
import { badRequest } from '../common/errors';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import { RecordingEntryStatusDto, RecordingResponseDto } from './dto/recording.dto';
import { rangeNotSatisfiable, RecordingsService } from './recordings.service';
import { parseRange } from './range';

@ApiTags('recordings')
@Controller()
export class RecordingsController {
  private readonly logger = new Logger(RecordingsController.name);

  constructor(private readonly recordings: RecordingsService) {}

  @Get('courses/:courseId/recordings')
  @ApiOperation({ summary: 'Recordings of a course ("Rekaman"). Admin, its trainers, its enrolled participants.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: [RecordingResponseDto] })
  listForCourse(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.recordings.listForCourse(user, courseId);
  }

  @Get('sessions/:sessionId/recordings')
  @ApiOperation({ summary: 'Recordings of a session (several if stopped and started again). Same access.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: [RecordingResponseDto] })
  listForSession(@CurrentUser() user: AuthUser, @Param('sessionId', ParseObjectIdPipe) sessionId: string) {
    return this.recordings.listForSession(user, sessionId);
  }

  @Get('sessions/:sessionId/recording-status')
  @ApiOperation({
    summary:
      'Whether the session is being recorded now and whether its course records every session, for the ' +
      'screen before entering the room. Admin, the trainers, enrolled participants.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: RecordingEntryStatusDto })
  entryStatus(@CurrentUser() user: AuthUser, @Param('sessionId', ParseObjectIdPipe) sessionId: string) {
    return this.recordings.entryStatus(user, sessionId);
  }

  @Get('recordings/:id')
  @ApiOperation({ summary: 'One recording with its composing progress, gaps and playback URLs. Same access.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: RecordingResponseDto })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseObjectIdPipe) id: string) {
    return this.recordings.get(user, id);
  }

  @Get('recordings/:id/media/:variant')
  @Public()
  @ApiOperation({
    summary:
      'Stream (HTTP Range, 206) or download (download=1) an MP4 variant. Authorised by the signed `access` ' +
      'token of a playback URL from the listing (a <video> element cannot send a bearer header).',
  })
  @ApiParam({ name: 'variant', enum: RECORDING_VARIANTS })
  @ApiQuery({ name: 'access', required: true, description: 'Token of the playback URL' })
  @ApiQuery({ name: 'download', required: false, enum: ['1'] })
  @ApiHeader({ name: 'Range', required: false, description: 'bytes=start-end (one range)' })
  @ApiFileResponse(['video/mp4'], 'The whole file')
  @ApiFileResponse(['video/mp4'], 'The requested byte range', 206)
  @ApiErrorResponses(400, 403, 404, 416)
  async media(
    @Param('id', ParseObjectIdPipe) id: string,
    @Param('variant') variant: string,
    @Query('access') access: string | undefined,
    @Query('download') download: string | undefined,
    @Headers('range') rangeHeader: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    if (!(RECORDING_VARIANTS as readonly string[]).includes(variant)) {
      throw badRequest('BAD_VARIANT', { id: 'Varian harus 720p atau 360p.', en: 'Variant must be 720p or 360p.' });
    }
    const media = await this.recordings.media(id, variant as RecordingVariantName, access);
    const range = parseRange(rangeHeader, media.size);
    if (range === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${media.size}`);
      throw rangeNotSatisfiable();
    }
    res.setHeader('Content-Type', 'video/mp4');
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, max-age=3600');
    if (download === '1') res.setHeader('Content-Disposition', `attachment; filename="${media.filename}"`);
    if (range) {
      res.status(HttpStatus.PARTIAL_CONTENT);
      res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${media.size}`);
      res.setHeader('Content-Length', String(range.end - range.start + 1));
    } else {
      res.setHeader('Content-Length', String(media.size));
    }
    const stream = media.open(range ?? undefined);
    stream.on('error', (error) => {
      this.logger.warn({ err: error, recordingId: id, variant }, 'recording media stream failed');
      res.destroy();
    });
    stream.pipe(res);
  }

  @Delete('recordings/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles('admin')
  @ApiOperation({ summary: 'Delete a recording and its files. Admins only.' })
  @ApiAuth(400, 404)
  @ApiNoContentResponse()
  async remove(@Param('id', ParseObjectIdPipe) id: string): Promise<void> {
    await this.recordings.remove(id);
  }
}
