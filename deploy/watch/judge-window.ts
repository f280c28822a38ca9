import { UNITS, type UnitName, type UnitSample } from '../../reports/units/unit-fit.ts';
import { projectAtProfile, unitsPerDay, type UnitProfile } from '../../reports/units/unit-projection.ts';
import type { StepOutcome } from '../remote/step.ts';
import { fitWindow } from './fit-window.ts';

export const UNIT_LABEL: Record<UnitName, string> = { message: 'B/message', listing: 'B/listing turn', hour: 'B/hour' };

export interface WindowJudgeInput {
  /** One per cleanup after the warm-up: the heap its gc left and the work done until then. */
  samples: UnitSample[];
  /** The QA report's per-unit floors: a slope above one of them, beyond its interval, is a leak. */
  qaFloors: Record<UnitName, number>;
  /** The traffic the host saw during the window. */
  msgPerSecond: number;
  listingTurnsPerDay: number;
  /** MemoryHigh less what the service holds now; null when the unit sets no MemoryHigh. */
  headroomBytes: number | null;
  /** The projected growth must not fill the headroom sooner than this. */
  days: number;
}

export interface UnitLine {
  unit: UnitName;
  slope: number;
  lo: number;
  hi: number;
  /** The smallest slope this window would have seen. */
  floor: number;
  /** What QA's floors allow this slope: QA's own floor in a joint fit; in a per-unit one, every unit's floor at this traffic, in this unit. */
  qaFloor: number;
  /** What this unit may retain on this host's traffic: the headroom spread over `days`; null without traffic or MemoryHigh. */
  budget: number | null;
}

export interface UnitWatchEvidence {
  model: 'joint' | 'per-unit';
  why: string | null;
  samples: number;
  units: UnitLine[];
  msgPerSecond: number;
  listingTurnsPerDay: number;
  headroomMb: number | null;
  days: number;
  /** At the lower bound of the growth (QA's projection); null when nothing grows for certain. */
  daysToMemoryHigh: number | null;
  /** "this watch could see ≥ X B/message", one per unit. */
  floors: string[];
}

const MB = 1024 * 1024;
const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : String(Number(n.toPrecision(3))));

/**
 * Judges a watch window in QA's units. It fails on a slope whose whole interval is above zero and which
 * exceeds QA's floor for its unit, or when growth at its lower bound, at this host's traffic, fills the
 * MemoryHigh headroom within `days`. No MB/min constant: the budget is the headroom and the traffic.
 */
export function judgeWindow(i: WindowJudgeInput): StepOutcome<UnitWatchEvidence | undefined> {
  const fit = fitWindow(i.samples);
  if (!fit.ok) return { ok: false, reason: `watch: cannot judge retained memory: ${fit.reason}`, evidence: undefined };
  const profile: UnitProfile = { msgPerSecond: i.msgPerSecond, listingTurnsPerDay: i.listingTurnsPerDay, daysBetweenRestarts: i.days, headroomMb: (i.headroomBytes ?? Infinity) / MB };
  const perDay = unitsPerDay(profile);
  // A per-unit slope carries the growth of every unit that moved with it (at 2,000 msg/s the hour slope
  // holds the messages' growth too), so it is judged against the growth all of QA's floors allow at this
  // traffic, expressed in its own unit; a joint fit's slopes are each unit's own.
  const allowedPerDay = UNITS.reduce((sum, u) => sum + i.qaFloors[u] * perDay[u], 0);
  const allowance = (unit: UnitName) => (fit.model === 'joint' ? i.qaFloors[unit] : allowedPerDay / perDay[unit]);
  const units = fit.slopes.map((s): UnitLine => ({
    ...s,
    qaFloor: allowance(s.unit),
    budget: i.headroomBytes !== null && perDay[s.unit] > 0 ? i.headroomBytes / (i.days * perDay[s.unit]) : null,
  }));
  // Per-unit slopes each hold all the growth: summing them would count it once per unit.
  const projections = fit.model === 'joint' ? [projectAtProfile(fit.slopes, profile)] : fit.slopes.map((s) => projectAtProfile([s], profile));
  const soonest = projections.map((p) => p.daysToHeadroomLo).filter((d): d is number => d !== null);
  const evidence: UnitWatchEvidence = {
    model: fit.model,
    why: fit.model === 'per-unit' ? fit.why : null,
    samples: i.samples.length,
    units,
    msgPerSecond: i.msgPerSecond,
    listingTurnsPerDay: i.listingTurnsPerDay,
    headroomMb: i.headroomBytes === null ? null : i.headroomBytes / MB,
    days: i.days,
    daysToMemoryHigh: i.headroomBytes === null || soonest.length === 0 ? null : Math.min(...soonest),
    floors: units.map((u) => `this watch could see ≥ ${fmt(u.floor)} ${UNIT_LABEL[u.unit]}`),
  };
  const leak = units.find((u) => u.lo > 0 && u.slope > u.qaFloor);
  if (leak) {
    const l = UNIT_LABEL[leak.unit];
    return { ok: false, reason: `watch: retains ${fmt(leak.slope)} ${l} (95% ${fmt(leak.lo)}…${fmt(leak.hi)}) > QA floor ${fmt(leak.qaFloor)} ${l}`, evidence };
  }
  if (evidence.daysToMemoryHigh !== null && evidence.daysToMemoryHigh <= i.days) {
    return { ok: false, reason: `watch: at ${fmt(i.msgPerSecond)} msg/s the retained heap reaches MemoryHigh in ${evidence.daysToMemoryHigh.toFixed(1)} days < ${i.days}`, evidence };
  }
  return { ok: true, reason: evidence.floors.join('; '), evidence };
}
