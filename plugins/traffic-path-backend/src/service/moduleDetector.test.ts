import { createModuleDetector, ListsCapability } from './moduleDetector';

const lists: ListsCapability = {
  version: 1,
  maxReads: 50,
  pageSize: 500,
  maxBytes: 64 * 1024 * 1024,
};

function detectorWith(answers: (ListsCapability | undefined | Error)[]) {
  let time = 0;
  let asked = 0;
  const detector = createModuleDetector({
    probe: async () => {
      asked += 1;
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
    recheckMs: 60_000,
    now: () => time,
  });
  return {
    detector,
    asked: () => asked,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

describe('createModuleDetector', () => {
  it('asks once for concurrent callers, and keeps a module that is there', async () => {
    const { detector, asked, advance } = detectorWith([lists]);
    const answers = await Promise.all([detector.lists(), detector.lists()]);
    expect(answers).toEqual([lists, lists]);
    advance(24 * 3600_000);
    expect(await detector.lists()).toEqual(lists);
    expect(asked()).toBe(1);
  });

  it('asks again after a failure was reported, and finds the module gone', async () => {
    const { detector, asked } = detectorWith([lists, undefined]);
    expect(await detector.lists()).toEqual(lists);
    detector.forget();
    expect(await detector.lists()).toBeUndefined();
    expect(asked()).toBe(2);
  });

  it('believes a missing module for the recheck time only, so that one installed later is found', async () => {
    const { detector, asked, advance } = detectorWith([undefined, lists]);
    expect(await detector.lists()).toBeUndefined();
    advance(59_000);
    expect(await detector.lists()).toBeUndefined();
    expect(asked()).toBe(1);
    advance(2_000);
    expect(await detector.lists()).toEqual(lists);
    expect(asked()).toBe(2);
  });

  it('takes a probe that fails (the Kubernetes backend is down) as no module, for the recheck time', async () => {
    const { detector, advance } = detectorWith([
      new Error('ECONNREFUSED'),
      lists,
    ]);
    expect(await detector.lists()).toBeUndefined();
    advance(60_001);
    expect(await detector.lists()).toEqual(lists);
  });
});
