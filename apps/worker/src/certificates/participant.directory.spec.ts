import type { CertificateRepository, ParticipantFacts } from './certificate.repository';
import type { EligibilityCache } from './eligibility.cache';
import { DIRECTORY_MIN_PARTICIPANTS, ParticipantDirectory } from './participant.directory';

const facts = (id: string): ParticipantFacts => ({ id, name: `Peserta ${id}`, email: `${id}@example.id` });

function setup(size: number) {
  const ids = new Set(Array.from({ length: size }, (_, i) => `u${i}`));
  const participantFactsOf = jest.fn(async (wanted: Set<string>) => new Map([...wanted].map((id) => [id, facts(id)])));
  const participantFacts = jest.fn(async (id: string) => facts(id));
  const repository = { participantFactsOf, participantFacts } as unknown as CertificateRepository;
  const eligibility = { participantIds: () => ids } as unknown as EligibilityCache;
  return { sut: new ParticipantDirectory(repository, eligibility), participantFactsOf, participantFacts };
}

describe('ParticipantDirectory', () => {
  it('reads a large batch’s participants in one pass, not one read each', async () => {
    const { sut, participantFactsOf, participantFacts } = setup(DIRECTORY_MIN_PARTICIPANTS);
    const got = await Promise.all(['u0', 'u1', 'u2'].map((id) => sut.facts('c', id)));
    expect(got.map((f) => f?.name)).toEqual(['Peserta u0', 'Peserta u1', 'Peserta u2']);
    expect(participantFactsOf).toHaveBeenCalledTimes(1);
    expect(participantFacts).not.toHaveBeenCalled();
  });

  it('reads someone it does not know by id, and small batches always by id', async () => {
    const large = setup(DIRECTORY_MIN_PARTICIPANTS);
    await large.sut.facts('c', 'new-person');
    expect(large.participantFacts).toHaveBeenCalledWith('new-person');
    const small = setup(DIRECTORY_MIN_PARTICIPANTS - 1);
    await small.sut.facts('c', 'u0');
    expect(small.participantFactsOf).not.toHaveBeenCalled();
    expect(small.participantFacts).toHaveBeenCalledWith('u0');
  });
});
