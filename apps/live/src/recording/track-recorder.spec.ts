import { createSocket, Socket } from 'node:dgram';
import { isListening } from './track-recorder';

const bind = (port: number) =>
  new Promise<Socket | null>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(null);
    });
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });

describe('isListening (is the recorder ffmpeg bound yet)', () => {
  it('sees every bound port, whatever the width of its /proc/net/udp hash slot', async () => {
    // 40 ports of the recorders' range: about a third land in a 5-digit slot (a row with no leading space).
    const sockets: Socket[] = [];
    for (let port = 20_000 + 2 * Math.floor(Math.random() * 3000), n = 0; n < 40; port += 102, n += 1) {
      const socket = await bind(port);
      if (socket) sockets.push(socket);
    }
    try {
      for (const socket of sockets) expect(await isListening(socket.address().port)).toBe(true);
    } finally {
      for (const socket of sockets) socket.close();
    }
  });

  it('is false for a port nobody holds', async () => {
    const socket = (await bind(0))!;
    const port = socket.address().port;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    expect(await isListening(port)).toBe(false);
  });
});
