export function LiveRoom() { return <p>…</p>; }
