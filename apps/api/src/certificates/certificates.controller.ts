import { Body, Controller, Get, HttpCode, Param, Post, Res, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '@balai/common';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators';
import { ApiAuth, ApiErrorResponses, ApiFileResponse } from '../common/api-docs';
import {
  CertificateEligibilityDto,
  CertificatePageDto,
  CertificateResponseDto,
  IssueProgressDto,
  IssueResultDto,
  RetryResultDto,
  RevokeCertificateDto,
  VerificationResponseDto,
} from './dto/certificate.dto';
import { ObjectIdPipe } from './object-id.pipe';
import { CertificatesService } from './certificates.service';
import { VerifyRateLimitGuard } from './verify-rate-limit.guard';

@ApiTags('certificates')
@Controller()
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get('certificates/verify/:code')
  @Public()
  @UseGuards(VerifyRateLimitGuard)
  @ApiOperation({
    summary: 'Public: is this certificate valid, to whom and for what (or revoked). Rate-limited per IP.',
  })
  @ApiErrorResponses(404, 429)
  @ApiOkResponse({ type: VerificationResponseDto })
  verify(@Param('code') code: string) {
    return this.certificates.verify(code);
  }

  @Get('me/certificates')
  @ApiAuth()
  @ApiOperation({ summary: "The signed-in user's own certificates." })
  @ApiOkResponse({ type: CertificatePageDto })
  mine(@CurrentUser() user: AuthUser) {
    return this.certificates.listMine(user);
  }

  @Get('certificates/:id/pdf')
  @ApiAuth(400, 404)
  @ApiFileResponse(['application/pdf'], 'The certificate PDF (attachment)')
  @ApiOperation({ summary: 'Download a certificate PDF: its holder or an admin (404 for anyone else).' })
  async pdf(@Param('id', ObjectIdPipe) id: string, @CurrentUser() user: AuthUser) {
    const { stream, filename } = await this.certificates.openPdf(id, user);
    return new StreamableFile(stream, { type: 'application/pdf', disposition: `attachment; filename="${filename}"` });
  }

  @Post('courses/:courseId/certificates/issue')
  @Roles('admin')
  @HttpCode(202)
  @ApiAuth(400, 404, 409)
  @ApiOperation({
    summary: 'Admin: enqueue a certificate job for every eligible participant not yet certified (idempotent).',
  })
  @ApiAcceptedResponse({ type: IssueResultDto, description: 'Jobs enqueued; follow them with GET on the same path' })
  issue(@Param('courseId', ObjectIdPipe) courseId: string, @CurrentUser() admin: AuthUser) {
    return this.certificates.issueForCourse(courseId, admin);
  }

  @Get('courses/:courseId/certificates/eligibility')
  @Roles('admin')
  @ApiAuth(400, 404)
  @ApiOperation({
    summary:
      'Admin: every enrolled participant with attendance, verdict and reason, and from when certificates can be issued.',
  })
  @ApiOkResponse({ type: CertificateEligibilityDto })
  eligibility(@Param('courseId', ObjectIdPipe) courseId: string) {
    return this.certificates.eligibilityOf(courseId);
  }

  @Get('courses/:courseId/certificates/issue')
  @Roles('admin')
  @ApiAuth(400, 404)
  @ApiOperation({ summary: "Admin: the course's batch: waiting, active, completed, failed (with reasons)." })
  @ApiOkResponse({ type: IssueProgressDto })
  progress(@Param('courseId', ObjectIdPipe) courseId: string) {
    return this.certificates.progress(courseId);
  }

  @Post('courses/:courseId/certificates/issue/retry')
  @Roles('admin')
  @HttpCode(200)
  @ApiAuth(400, 404)
  @ApiOperation({ summary: "Admin: retry the course's failed certificate jobs." })
  @ApiOkResponse({ type: RetryResultDto })
  async retry(@Param('courseId', ObjectIdPipe) courseId: string): Promise<RetryResultDto> {
    return { retried: await this.certificates.retryFailed(courseId) };
  }

  @Get('courses/:courseId/certificates')
  @Roles('admin')
  @ApiAuth(400)
  @ApiOperation({ summary: "Admin: a course's certificates (an empty list for an unknown course)." })
  @ApiOkResponse({ type: CertificatePageDto })
  list(@Param('courseId', ObjectIdPipe) courseId: string) {
    return this.certificates.listForCourse(courseId);
  }

  @Get('courses/:courseId/certificates/zip')
  @Roles('admin')
  @ApiAuth(400, 404)
  @ApiFileResponse(['application/zip'], 'Every certificate PDF of the course (attachment)')
  @ApiOperation({ summary: "Admin: all of a course's certificate PDFs as one ZIP." })
  async zip(@Param('courseId', ObjectIdPipe) courseId: string, @Res() res: Response): Promise<void> {
    if (!(await this.certificates.courseExists(courseId))) {
      await this.certificates.progress(courseId); // throws the 404 in the one error shape
    }
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="sertifikat-${courseId}.zip"`);
    await this.certificates.writeZip(courseId, res);
  }

  @Post('certificates/:id/revoke')
  @Roles('admin')
  @HttpCode(200)
  @ApiAuth(400, 404, 409)
  @ApiOperation({ summary: 'Admin: revoke a certificate with a reason (verification then shows it revoked).' })
  @ApiOkResponse({ type: CertificateResponseDto })
  revoke(@Param('id', ObjectIdPipe) id: string, @Body() dto: RevokeCertificateDto) {
    return this.certificates.revoke(id, dto.reason);
  }
}
