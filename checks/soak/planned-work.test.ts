import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plannedWork } from './planned-work.ts';
import { rotationFor, SOAK_PLAN, SoakPlanSchema } from './soak-config.ts';

const plans = fc.record({
  stepSimS: fc.constantFrom(30, 60),
  blockSimS: fc.constantFrom(120, 300, 600),
  warmupTurns: fc.integer({ min: 0, max: 4 }),
  listingBlocks: fc.integer({ min: 2, max: 6 }),
  messagesPerTurn: fc.integer({ min: 0, max: 2_000 }),
  fillMessages: fc.integer({ min: 0, max: 30_000 }),
  messageBlocks: fc.integer({ min: 2, max: 5 }),
  messagesPerBlock: fc.integer({ min: 1, max: 30_000 }),
  simHours: fc.constantFrom(0.25, 0.5, 0.75),
  bracketTurns: fc.integer({ min: 0, max: 3 }),
});

describe('the soak plan, as its driver runs it', () => {
  it('moves one unit per phase and holds the others (fast-check: 30 generated plans)', async () => {
    await fc.assert(
      fc.asyncProperty(plans, async (raw) => {
        const plan = SoakPlanSchema.parse(raw);
        const work = await plannedWork(plan);
        const of = (phase: string) => work.filter((w) => w.phase === phase);
        const [listing, message, hour] = [of('listing'), of('message'), of('hour')];
        const step = rotationFor(plan).step;
        const blockH = plan.blockSimS / 3600;
        expect(listing).toHaveLength(plan.listingBlocks + 1);
        expect(message).toHaveLength(plan.messageBlocks + 1);
        // Listing: a rotation and one block of time per sample.
        listing.slice(1).forEach((w, i) => {
          expect(w.listingTurns - (listing[i]?.listingTurns ?? 0)).toBe(step);
          expect(w.simH - (listing[i]?.simH ?? 0)).toBeCloseTo(blockH, 9);
        });
        // Messages: no listing turn, a block of messages and of time per sample.
        expect(new Set(message.map((w) => w.listingTurns)).size).toBe(1);
        message.slice(1).forEach((w, i) => expect(w.messages - (message[i]?.messages ?? 0)).toBeGreaterThanOrEqual(plan.messagesPerBlock));
        // Hours: time alone.
        expect(new Set(hour.map((w) => `${w.listingTurns} ${w.messages}`)).size).toBe(1);
        expect((hour.at(-1)?.simH ?? 0) - (hour[0]?.simH ?? 0)).toBeCloseTo(Math.round((plan.simHours * 3600) / plan.blockSimS) * blockH, 9);
      }),
      { numRuns: 30 },
    );
  });

  it("is the QA plan's 25 samples: 9 listing, 6 message, 10 hour", async () => {
    const work = await plannedWork(SOAK_PLAN);
    expect(work.map((w) => w.phase).join(' ')).toBe([...Array<string>(9).fill('listing'), ...Array<string>(6).fill('message'), ...Array<string>(10).fill('hour')].join(' '));
  });
});
