/**
 * The development flag of the live room: on under the Vite dev server, or when
 * `window.BALAI_TEST_HOOKS = true` is set before the page loads (the browser
 * tests' init script). Kept apart from test-hooks.ts so that module stays a
 * chunk of its own that participants never download.
 */
declare global {
  interface Window {
    BALAI_TEST_HOOKS?: boolean;
  }
}

export const testHooksEnabled = (): boolean => import.meta.env.DEV || window.BALAI_TEST_HOOKS === true;
