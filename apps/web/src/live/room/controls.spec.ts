import { LiveErrorCode } from '@balai/live-contract/errors';
import { LiveRequestError } from '../signalling';
import { deviceErrorText, publishErrorText } from './controls';

describe('toolbar messages', () => {
  it('says a refused or failed publish is about sending, not about the camera or microphone', () => {
    const refused = new LiveRequestError({ code: LiveErrorCode.Forbidden, message: 'not allowed to speak' });
    expect(publishErrorText(refused)).toBe('Pelatih belum mengizinkan Anda berbicara atau menyalakan kamera.');
    const failed = new LiveRequestError({ code: LiveErrorCode.MediaError, message: 'transport closed' });
    expect(publishErrorText(failed)).toMatch(/menyala, tetapi belum bisa dikirim ke kelas/);
    expect(publishErrorText(new Error('timeout'))).toMatch(/belum bisa dikirim/);
  });

  it('keeps the device messages for what getUserMedia says', () => {
    expect(deviceErrorText(new DOMException('denied', 'NotAllowedError'))).not.toMatch(/dikirim/);
  });
});
