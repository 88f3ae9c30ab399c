import { apiEnvSchema, assertProductionSecrets, liveEnvSchema, placeholderSignatorySettings } from './schemas';
import { InvalidEnvironmentError, parseEnv } from './env';

describe('parseEnv', () => {
  it('gives working defaults with an empty environment', () => {
    const config = parseEnv(apiEnvSchema, {});
    expect(config.API_PORT).toBe(3000);
    expect(config.MONGODB_URI).toMatch(/^mongodb:\/\//);
    expect(config.REDIS_URL).toMatch(/^redis:\/\//);
  });

  it('names the variable and what was expected when one is malformed', () => {
    expect(() => parseEnv(apiEnvSchema, { MONGODB_URI: 'postgres://x', API_PORT: 'abc' })).toThrow(
      InvalidEnvironmentError,
    );
    try {
      parseEnv(apiEnvSchema, { MONGODB_URI: 'postgres://x', API_PORT: 'abc' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('MONGODB_URI: expected a URL starting with mongodb://');
      expect(message).toContain('"postgres://x"');
      expect(message).toContain('API_PORT');
    }
  });

  it('parses ICE servers from JSON and rejects anything else', () => {
    const ok = parseEnv(liveEnvSchema, { ICE_SERVERS_JSON: '[{"urls":"turn:t.example:3478"}]' });
    expect(ok.ICE_SERVERS_JSON).toEqual([{ urls: 'turn:t.example:3478' }]);
    expect(() => parseEnv(liveEnvSchema, { ICE_SERVERS_JSON: '{nope' })).toThrow(/ICE_SERVERS_JSON/);
  });

  it('refuses development secrets in production', () => {
    const config = parseEnv(apiEnvSchema, { NODE_ENV: 'production' });
    expect(() => assertProductionSecrets(config)).toThrow(/JWT_SECRET, INTERNAL_API_TOKEN/);
  });
});

describe('placeholderSignatorySettings', () => {
  it('names the signatory variables still at their shipped placeholder', () => {
    expect(placeholderSignatorySettings({})).toEqual(['CERT_SIGNATORY_NAME', 'CERT_SIGNATORY_NIP']);
    expect(placeholderSignatorySettings({ CERT_SIGNATORY_NAME: 'Dr. Ir. Siti Rahma, M.T.' })).toEqual([
      'CERT_SIGNATORY_NIP',
    ]);
    expect(
      placeholderSignatorySettings({
        CERT_SIGNATORY_NAME: 'Dr. Ir. Siti Rahma, M.T.',
        CERT_SIGNATORY_NIP: '19751012 200003 2 004',
      }),
    ).toEqual([]);
  });
});
