export function TrainerHome() { return <p>…</p>; }
export function TrainerCourse() { return <p>…</p>; }
