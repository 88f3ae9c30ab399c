/**
 * E2E tests drive real browsers, WebRTC and several services on a shared
 * 2-core machine. A failed test is retried once, and the first failure is
 * printed before the retry so flakiness stays visible in the log rather than
 * hidden (the same policy as Playwright's CI default).
 */
jest.retryTimes(1, { logErrorsBeforeRetry: true });
