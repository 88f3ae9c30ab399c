import { EventEmitter } from 'node:events';
import { watchTransportLiveness } from './media-liveness';

class FakeTransport extends EventEmitter {
  iceState: 'new' | 'connected' | 'completed' | 'disconnected' | 'closed' = 'connected';
  closed = false;
  ice(state: FakeTransport['iceState']): void {
    this.iceState = state;
    this.emit('icestatechange', state);
  }
}

describe('watchTransportLiveness', () => {
  let transport: FakeTransport;
  let lost: jest.Mock;

  beforeEach(() => {
    jest.useFakeTimers();
    transport = new FakeTransport();
    lost = jest.fn();
    watchTransportLiveness(transport, 10_000, lost);
  });
  afterEach(() => jest.useRealTimers());

  it('reports a transport that stays disconnected', () => {
    transport.ice('disconnected');
    jest.advanceTimersByTime(10_000);
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('leaves alone a transport that reconnects in time', () => {
    transport.ice('disconnected');
    jest.advanceTimersByTime(9_000);
    transport.ice('completed');
    jest.advanceTimersByTime(60_000);
    expect(lost).not.toHaveBeenCalled();
  });

  it('reports a DTLS failure at once, and only once', () => {
    transport.emit('dtlsstatechange', 'failed');
    transport.ice('disconnected');
    jest.advanceTimersByTime(60_000);
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('ignores a transport closed while disconnected', () => {
    transport.ice('disconnected');
    transport.closed = true;
    jest.advanceTimersByTime(60_000);
    expect(lost).not.toHaveBeenCalled();
  });
});
