export const ROLES = ['admin', 'trainer', 'participant'] as const;
export type Role = (typeof ROLES)[number];
