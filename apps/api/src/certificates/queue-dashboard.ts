/**
 * Bull Board (queue dashboard) at /api/admin/queues, for admins only. Mounted
 * on Express directly (it is an Express router, not Nest routes), behind a
 * check of the same access token the API uses. Browsers cannot send a bearer
 * header to the dashboard's own requests, so `?token=<access token>` once sets
 * an HttpOnly cookie scoped to the dashboard path.
 */
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectQueue } from '@nestjs/bullmq';
import { JwtService } from '@nestjs/jwt';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { isAccessTokenPayload, STATUS_DEFAULTS } from '@balai/common';
import { QUEUES } from '@balai/queue';

export const QUEUE_DASHBOARD_PATH = '/api/admin/queues';
const COOKIE = 'balai_queues_token';

@Injectable()
export class QueueDashboard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly jwt: JwtService,
    @InjectQueue(QUEUES.certificates) private readonly certificates: Queue,
    @InjectQueue(QUEUES.notifications) private readonly notifications: Queue,
    @InjectQueue(QUEUES.recordings) private readonly recordings: Queue,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter?.getInstance<Express>();
    if (!app || typeof app.use !== 'function') return;
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({
      // Recordings: composing progress per job, failed jobs with their reason and attempts (issue 13).
      queues: [
        new BullMQAdapter(this.certificates),
        new BullMQAdapter(this.notifications),
        new BullMQAdapter(this.recordings),
      ],
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Balai queues' } },
    });
    app.use(
      QUEUE_DASHBOARD_PATH,
      (req: Request, res: Response, next: NextFunction) => void this.guard(req, res, next),
      serverAdapter.getRouter() as RequestHandler,
    );
  }

  private async guard(req: Request, res: Response, next: NextFunction): Promise<void> {
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : undefined;
    const header = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : undefined;
    const token = header ?? fromQuery ?? readCookie(req.headers.cookie, COOKIE);
    const payload: unknown = token
      ? await this.jwt.verifyAsync(token, { algorithms: ['HS256'] }).catch(() => null)
      : null;
    if (!isAccessTokenPayload(payload)) return deny(res, 401);
    if (payload.role !== 'admin') return deny(res, 403);
    if (fromQuery) {
      res.cookie(COOKIE, fromQuery, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure,
        path: QUEUE_DASHBOARD_PATH,
      });
    }
    next();
  }
}

function deny(res: Response, status: 401 | 403): void {
  const d = STATUS_DEFAULTS[status]!;
  res.status(status).json({ statusCode: status, error: d.code, message: d.text.id });
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}
