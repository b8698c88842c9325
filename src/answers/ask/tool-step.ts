import { asksAboutLicences, asksWhichLicence, definitionSubject } from "../../understand/wording.ts";
import type { AskResult } from "../types.ts";
import { entryResult, unknown } from "./entry-result.ts";
import { lessonHit } from "./passages.ts";
import type { Question } from "./question.ts";

/**
 * A tool whose name holds a family word (llama.cpp, LlamaIndex) is the tool: its glossary entry
 * when the content has one, otherwise an honest "I don't know it", never the family's licence.
 */
export function tool(question: Question): AskResult | null {
  const { frame, knowledge, text, licensed } = question;
  const [name] = frame.tools;
  // A model named beside the tool ("llama 3.1 8b on llama.cpp") is what a licence question is about.
  if (!name || licensed.some((mention) => mention.kind === "model")) return null;
  const own = knowledge.index.exact(name, { kinds: ["term"] })[0];
  // "llama.cpp or vLLM for 20 people?": two tools weighed against each other are the lessons' question.
  const entry = frame.tools.length === 1 ? own : undefined;
  // "What is paged attention in vLLM?": the glossary word defined is the subject, not the tool.
  const [first] = question.searched;
  const defined =
    definitionSubject(text) &&
    first?.kind === "term" &&
    first.id !== entry?.id &&
    question.mentions.some((mention) => mention.kind === "term" && mention.id === first.id);
  if (defined) return entryResult(knowledge, text, first, question.searched, frame.searchWords);
  if (entry) return entryResult(knowledge, text, entry, undefined, frame.searchWords);
  // "sglang vs vllm, what's the difference?": how the tools work is in the lessons; their terms are not.
  const aboutTerms = question.clause !== null || asksAboutLicences(text) || asksWhichLicence(text);
  const lesson = aboutTerms ? undefined : lessonHit(question);
  // "What is paged attention in vLLM?": a glossary word named beside the tool, ranked above the lesson, is the subject.
  const term = question.searched.find(
    (hit) =>
      hit.kind === "term" &&
      (!lesson || hit.score > lesson.score) &&
      question.mentions.some((mention) => mention.kind === "term" && mention.id === hit.id),
  );
  const hints = frame.searchWords;
  if (term && !aboutTerms) return entryResult(knowledge, text, term, question.searched, hints);
  if (lesson) return entryResult(knowledge, text, lesson, question.searched, hints);
  // "llama.cpp or vLLM for 20 people?" where no lesson answers: the first tool's own entry before "I
  // don't know it"; only the first, which the question is about ("koboldcpp is based on llama.cpp").
  const named = frame.tools.length > 1 ? own : undefined;
  if (named && !aboutTerms) return entryResult(knowledge, text, named, question.searched, hints);
  return { ...unknown(question, "unknown-name", name), suggestions: [] };
}
