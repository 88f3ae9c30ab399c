/**
 * Administrator screens (loaded on demand): courses and sessions (create,
 * schedule on a month calendar, every lifecycle step), trainers, roster and
 * waitlist, attendance with CSV export, certificates with live progress,
 * ineligibility reasons and revocation, and reports by sector and kecamatan.
 */
export { AdminHome } from './admin-home';
export { AdminCourse } from './admin-course';
