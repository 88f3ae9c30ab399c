import { Body, Controller, Delete, Get, Header, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '@balai/common';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiAuth, ApiCsvResponse } from '../common/api-docs';
import { toCsv } from '../common/csv';
import { ParseObjectIdPipe } from '../common/parse-object-id.pipe';
import { toJakarta } from '../common/time';
import { CreatePollDto, PollDto, SessionInteractionDto } from './dto/interaction.dto';
import { InteractionService } from './interaction.service';

const STATUS_ID: Record<string, string> = { open: 'belum dijawab', answered: 'dijawab', dismissed: 'diabaikan' };

@ApiTags('interaction')
@Controller()
export class InteractionController {
  constructor(private readonly interaction: InteractionService) {}

  @Get('courses/:courseId/polls')
  @Roles('admin', 'trainer')
  @ApiOperation({ summary: 'Polls prepared for the live sessions of a course. Admin, or a trainer of the course.' })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: [PollDto] })
  listPrepared(@CurrentUser() user: AuthUser, @Param('courseId', ParseObjectIdPipe) courseId: string) {
    return this.interaction.listPrepared(user, courseId);
  }

  @Post('courses/:courseId/polls')
  @Roles('admin', 'trainer')
  @ApiOperation({
    summary:
      'Prepare a poll before the session; the host launches it in the live room. Admin, or a trainer of the course.',
  })
  @ApiAuth(400, 404)
  @ApiCreatedResponse({ type: PollDto })
  createPrepared(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Body() dto: CreatePollDto,
  ) {
    return this.interaction.createPrepared(user, courseId, dto);
  }

  @Delete('courses/:courseId/polls/:pollId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles('admin', 'trainer')
  @ApiOperation({ summary: 'Delete a prepared poll (launched copies stay with their sessions). Admin, or a trainer.' })
  @ApiAuth(400, 404)
  @ApiNoContentResponse()
  async deletePrepared(
    @CurrentUser() user: AuthUser,
    @Param('courseId', ParseObjectIdPipe) courseId: string,
    @Param('pollId', ParseObjectIdPipe) pollId: string,
  ): Promise<void> {
    await this.interaction.deletePrepared(user, courseId, pollId);
  }

  @Get('sessions/:sessionId/interaction')
  @ApiOperation({
    summary:
      'Q&A (sorted by upvotes, then time) and poll results of a session. Admin and the course trainers see everything; an enrolled participant sees anonymous askers hidden, no dismissed questions, and counts only of revealed polls.',
  })
  @ApiAuth(400, 404)
  @ApiOkResponse({ type: SessionInteractionDto })
  report(@CurrentUser() user: AuthUser, @Param('sessionId', ParseObjectIdPipe) sessionId: string) {
    return this.interaction.sessionReport(user, sessionId);
  }

  @Get('sessions/:sessionId/interaction/questions.csv')
  @Roles('admin', 'trainer')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="tanya-jawab.csv"')
  @ApiOperation({ summary: 'The Q&A of a session as CSV (asker named, also when anonymous). Admin, or a trainer.' })
  @ApiAuth(400, 404)
  @ApiCsvResponse()
  async questionsCsv(
    @CurrentUser() user: AuthUser,
    @Param('sessionId', ParseObjectIdPipe) sessionId: string,
  ): Promise<string> {
    const r = await this.interaction.sessionReport(user, sessionId, true);
    return toCsv(
      ['question_id', 'asked_at', 'asker', 'anonymous', 'question', 'upvotes', 'status', 'answer'],
      r.questions.map((q) => [
        q.id,
        toJakarta(new Date(q.askedAt)),
        q.authorName,
        q.anonymous ? 'ya' : 'tidak',
        q.text,
        q.upvotes,
        STATUS_ID[q.status] ?? q.status,
        q.answer,
      ]),
    );
  }

  @Get('sessions/:sessionId/interaction/polls.csv')
  @Roles('admin', 'trainer')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="polling.csv"')
  @ApiOperation({ summary: 'Poll results of a session as CSV, one row per option. Admin, or a trainer.' })
  @ApiAuth(400, 404)
  @ApiCsvResponse()
  async pollsCsv(
    @CurrentUser() user: AuthUser,
    @Param('sessionId', ParseObjectIdPipe) sessionId: string,
  ): Promise<string> {
    const r = await this.interaction.sessionReport(user, sessionId, true);
    return toCsv(
      ['poll_id', 'question', 'status', 'opened_at', 'closed_at', 'voters', 'option', 'votes', 'percent'],
      r.polls.flatMap((p) =>
        p.options.map((option, i) => {
          const votes = p.counts?.[i] ?? 0;
          const voters = p.voters ?? 0;
          return [
            p.id,
            p.question,
            p.status,
            toJakarta(p.openedAt ? new Date(p.openedAt) : null),
            toJakarta(p.closedAt ? new Date(p.closedAt) : null),
            voters,
            option,
            votes,
            voters ? Math.round((votes / voters) * 1000) / 10 : 0,
          ];
        }),
      ),
    );
  }
}
