import * as assert from 'node:assert/strict';
import { advanceRun, MAX_CHART_POINTS, runFraction, thinPoints } from '../../src/core/training/runProgress';
import type { TrainingProgress } from '../../src/core/training/training';
import { bestEpochText, IDLE_RUN } from '../../src/protocol/views';

const progress = (fields: Partial<TrainingProgress>): TrainingProgress => ({
  phase: 'training',
  epoch: 1,
  epochs: 4,
  batch: 5,
  batches: 10,
  loss: 0.7,
  accuracy: 0.5,
  elapsedSeconds: 2,
  ...fields,
});

describe('runProgress', () => {
  it('adds a chart point within an epoch, rate-limited (not urgent)', () => {
    const { run, urgent } = advanceRun(IDLE_RUN, progress({ remainingSeconds: 30 }));
    assert.equal(urgent, false);
    assert.equal(run.status, 'training');
    assert.deepEqual(run.points, [{ x: 0.5, loss: 0.7, accuracy: 0.5 }]);
    assert.equal(run.remainingSeconds, 30);
  });

  it('records a validated epoch at once, and leaves out non-finite losses and remaining times', () => {
    const validated = advanceRun(
      IDLE_RUN,
      progress({
        phase: 'validated',
        validationLoss: 0.6,
        validationAccuracy: 0.7,
        remainingSeconds: Number.POSITIVE_INFINITY,
      }),
    );
    assert.equal(validated.urgent, true);
    assert.deepEqual(validated.run.epochPoints, [
      { epoch: 1, loss: 0.7, accuracy: 0.5, validationLoss: 0.6, validationAccuracy: 0.7 },
    ]);
    assert.equal(validated.run.remainingSeconds, undefined);
    assert.deepEqual(advanceRun(IDLE_RUN, progress({ loss: Number.NaN })).run.points, []);
  });

  it('shows pretraining at once', () => {
    const { run, urgent } = advanceRun(IDLE_RUN, progress({ phase: 'pretraining' }));
    assert.deepEqual([run.status, urgent], ['pretraining', true]);
  });

  it('thins chart points past the limit by dropping every other point of the older half', () => {
    const points = Array.from({ length: MAX_CHART_POINTS + 2 }, (_, i) => i);
    const thinned = thinPoints(points);
    const half = points.length / 2;
    assert.equal(thinned.length, Math.ceil(half / 2) + half);
    assert.deepEqual(thinned.slice(0, 3), [0, 2, 4]);
    assert.equal(thinned[thinned.length - 1], MAX_CHART_POINTS + 1);
    assert.equal(points.length, MAX_CHART_POINTS + 2, 'input unchanged');
    assert.deepEqual(thinPoints([1, 2, 3]), [1, 2, 3]);
  });

  it('says how much of a run is done', () => {
    assert.equal(runFraction({ ...IDLE_RUN, epoch: 2, epochs: 4, batch: 5, batches: 10 }), 0.375);
    assert.equal(runFraction(IDLE_RUN), 0);
  });

  describe('seed ensembles', () => {
    it("names the network, and starts the charts afresh with each network's first report, at once", () => {
      let run = advanceRun(IDLE_RUN, progress({ member: 1, members: 2 })).run;
      run = advanceRun(
        run,
        progress({ member: 1, members: 2, phase: 'validated', validationLoss: 0.6, validationAccuracy: 0.7 }),
      ).run;
      assert.equal(run.points.length, 1);
      assert.equal(run.epochPoints.length, 1);
      const next = advanceRun(run, progress({ member: 2, members: 2, batch: 2 }));
      assert.equal(next.urgent, true);
      assert.equal(next.run.member, 2);
      assert.equal(next.run.members, 2);
      assert.deepEqual(next.run.points, [{ x: 0.2, loss: 0.7, accuracy: 0.5 }]);
      assert.deepEqual(next.run.epochPoints, []);
      assert.equal(advanceRun(next.run, progress({ member: 2, members: 2, batch: 3 })).urgent, false);
    });

    it('runFraction counts the finished networks and the share of the current one', () => {
      const at = (member: number, epoch: number) =>
        runFraction({ ...IDLE_RUN, status: 'training', member, members: 2, epoch, epochs: 4, batch: 5, batches: 10 });
      assert.equal(at(1, 1), 0.0625);
      assert.equal(at(2, 1), 0.5625);
      assert.equal(at(2, 4), 0.9375);
      assert.equal(runFraction({ ...IDLE_RUN, status: 'training', epoch: 3, epochs: 4, batch: 5, batches: 10 }), 0.625);
    });

    it("states each network's best epoch in the report", () => {
      assert.equal(bestEpochText({ bestEpoch: 4 }), 'best epoch 4');
      assert.equal(bestEpochText({ bestEpoch: 4, bestEpochs: [4, 6, 5] }), '3 networks, best epochs 4, 6 and 5');
    });
  });
});
