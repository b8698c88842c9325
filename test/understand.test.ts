import { describe, expect, it } from "vitest";
import { parseAmounts } from "../src/understand/amounts.ts";
import { understand } from "../src/understand/frame.ts";
import { bundledKnowledge } from "./helpers/knowledge.ts";

describe("amounts: users and revenue a month, never a model's size", () => {
  const cases: [string, ReturnType<typeof parseAmounts>][] = [
    ["can i use llama in an app with 800 million monthly users?", { users: 800e6 }],
    ["we're a huge social network (~1B MAU)", { users: 1e9 }],
    ["our platform has roughly a billion monthly users", { users: 1e9 }],
    ["five hundred million users", { users: 500e6 }],
    ["we make about $20m a month in revenue but only ~3M users", { revenuePerMonth: 20e6, users: 3e6 }],
    ["startup, 10k users, $50k MRR", { users: 10e3, revenuePerMonth: 50e3 }],
    ["€300M a year turnover", { revenuePerMonth: 25e6 }],
    ["1,000,000 users", { users: 1e6 }],
    ["llama 3.3 70b with 5 users", { users: 5 }],
    ["can i run llama 3.1 70b and 8b?", {}],
    ["a startup in Lyon", {}],
    [
      "we passed 800M MAU last month but back when llama 3.1 came out we had maybe 300M",
      { users: 800e6, usersAtRelease: 300e6 },
    ],
    ["we had 900M users at launch of llama 2", { usersAtRelease: 900e6 }],
    ["when Llama 3.1 came out (july 2024) we had roughly 1.2bn monthly users", { usersAtRelease: 1.2e9 }],
  ];
  for (const [question, expected] of cases) {
    it(question, () => expect(parseAmounts(question)).toEqual(expected));
  }
});

describe("the frame of a question", () => {
  const { kb, index } = bundledKnowledge();
  const frame = (text: string) => understand(kb, index, text);

  it("reads the asker's place as a country and the regions it is in", () => {
    const { situation } = frame("we're a small startup in Lyon, can we use llama 3.2 90B vision?");
    expect(situation.places).toEqual(["FR"]);
    expect(situation.regions).toEqual(expect.arrayContaining(["EU", "EEA"]));
    expect(situation.role).toBe("company");
    expect(frame("our office is in Oslo").situation.regions).toEqual(["EEA"]);
  });

  it("reads polarity: may, must, is-there", () => {
    expect(frame("can we use gemma commercially?").polarity).toBe("may");
    expect(frame("do we have to show 'Built with Llama'?").polarity).toBe("must");
    expect(frame("is there a user cap on llama 3.1?").polarity).toBe("is-there");
    expect(frame("is there any way to use command r commercially?").polarity).toBe("may");
  });

  it("a closing question that asks again plainly decides the polarity", () => {
    expect(frame("Any issue if our SaaS uses Command R+ for paying customers? Is that allowed?").polarity).toBe("may");
    expect(frame("Any issue if our SaaS uses Command R+ for paying customers?").polarity).toBe("forbids");
  });

  it("a tool holding a family word is the tool, not the family", () => {
    const read = frame("what file format does llama.cpp use?");
    expect(read.tools).toEqual(["llama.cpp"]);
    expect(read.mentions.some((mention) => mention.kind === "family" && mention.id === "llama")).toBe(false);
  });

  it("a model name we do not hold is unknown, whatever real word it contains", () => {
    for (const [question, name] of [
      ["what's the license on zorblax-13b?", "zorblax-13b"],
      ["llama 3.2 mini license?", "llama 3.2 mini"],
      ["gemma 7 nano license??", "gemma 7 nano"],
      ["mixtral 8x70b apache right?", "mixtral 8x70b"],
    ] as const) {
      expect(frame(question).unknownNames, question).toContain(name);
    }
    for (const question of [
      "llama 3.2 90b vision license",
      "phi-3-mini-4k-instruct licence?",
      "yi-34b license",
      "qwen2.5-7b license",
    ]) {
      expect(frame(question).unknownNames, question).toEqual([]);
    }
  });

  it("purposes and declines", () => {
    expect(frame("can a defense contractor use llama for military targeting?").situation.purposes).toContain(
      "military",
    );
    expect(frame("can we release our mistral small finetune under apache?").situation.purposes).toContain("relicense");
    expect(frame("can you guarantee I won't get sued if I use Llama?").declineReason).toBe("guarantee");
    expect(frame("what licence will llama 5 use").declineReason).toBe("prediction");
    expect(frame("what licence does llama 4 use?").declineReason).toBeNull();
  });
});

describe("where a name ends", () => {
  const { kb, index } = bundledKnowledge();
  const frame = (text: string) => understand(kb, index, text);
  it("a size no release of that version came in is unknown, whatever sibling shares the number", () => {
    // "Qwen3-Max" also carries the 3, but lists no sizes: the Qwen3 release's sizes decide.
    expect(frame("what licence is qwen3-72b-instruct under?").unknownNames).toEqual(["qwen3-72b"]);
    expect(frame("qwen3 32b licence").unknownNames).toEqual([]);
  });

  it("a bracket or a year ends it: 'Qwen-7B (2023 release)' is a release we hold", () => {
    expect(frame("using the old Qwen-7B (2023 release) to make a dataset, allowed?").unknownNames).toEqual([]);
  });
});
