import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import type { SharedEnv } from '@balai/config';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reuse a well-formed incoming `x-request-id`, else mint one; echo it back. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/**
 * Structured JSON logs (pino) for every service, with a request id on each
 * HTTP log line. Services log through Nest's `Logger`; never `console.log`.
 */
@Module({})
export class LoggingModule {
  static forService(service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<SharedEnv, true>) => ({
            pinoHttp: {
              level: config.get('LOG_LEVEL', { infer: true }),
              base: { service },
              genReqId: requestId,
              customProps: () => ({ service }),
              autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').includes('/health') },
              redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-internal-token"]'],
              serializers: {
                req: (req: { id: string; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: req.url,
                }),
              },
            },
          }),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
