export function AdminHome() { return <p>…</p>; }
export function AdminCourse() { return <p>…</p>; }
