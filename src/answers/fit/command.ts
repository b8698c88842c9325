import {
  QUANT_FORMATS,
  quantFormat,
  RUNTIMES,
  type RuntimeId,
  runtime as runtimeById,
} from "../../knowledge/fit-method.ts";
import { foldText } from "../../knowledge/normalize.ts";
import type { KnowledgeBase } from "../../knowledge/types.ts";
import { type NamedHardware, namedPart, readFitQuestion } from "../../understand/fit-question.ts";
import { understand } from "../../understand/frame.ts";
import { vocabulary } from "../../understand/vocabulary.ts";
import type { Knowledge } from "../types.ts";
import { UserFacingError } from "../user-facing-error.ts";
import { answerFit, type FitAnswer } from "./fit.ts";
import { type ModelForFit, modelForFit, sizedFromEntry } from "./sized-model.ts";

/** The options of `/fit`, as typed or picked from autocomplete (which gives ids). */
export interface FitOptions {
  model: string;
  hardware?: string | undefined;
  quant?: string | undefined;
  context?: number | undefined;
  runtime?: string | undefined;
  units?: number | undefined;
}

/** `/fit`: each option read as an id first, then as free text the way `/ask` reads it. */
export function answerFitCommand(knowledge: Knowledge, options: FitOptions): FitAnswer {
  const { kb } = knowledge;
  const model = fitModel(knowledge, options.model);
  const hardware = options.hardware ? fitHardware(kb, options.hardware) : null;
  if (hardware && options.units) hardware.units = options.units;
  const quant = options.quant ? fitFormat(kb, options.quant) : { format: null, width: null };
  return answerFit(kb, null, {
    intent: "fit",
    model,
    hardware,
    ...quant,
    runtime: options.runtime ? fitRuntime(options.runtime) : null,
    contextTokens: options.context ?? null,
  });
}

function fitModel(knowledge: Knowledge, typed: string): ModelForFit {
  const { kb, index } = knowledge;
  const entry = kb.models.get(typed.trim());
  const frame = entry ? null : understand(kb, index, typed);
  const found = entry ? null : modelForFit(kb, index, frame!);
  const named = entry ?? found?.entry ?? null;
  if (named && !sizedFromEntry(named)) {
    throw new UserFacingError(
      named.openness === "proprietary"
        ? `${named.displayName}'s weights are not published: it runs only on its maker's servers, so no hardware of yours can hold it.`
        : `${named.displayName}'s size is not in the data, so I can't estimate its memory. Type its size instead, e.g. \`70b\`.`,
    );
  }
  if (entry) return { model: sizedFromEntry(entry)!, entry, fromName: false, unknownName: null };
  if (found) return found;
  throw new UserFacingError(
    `I don't know the size of “${typed.slice(0, 80)}”. Pick a model from the list, or type a size such as \`8b\`, \`70b\` or \`30b a3b\`.`,
  );
}

function fitHardware(kb: KnowledgeBase, typed: string): NamedHardware {
  const entry = kb.hardware.get(typed.trim());
  if (entry) return namedPart(entry);
  // "24" alone is an amount of memory.
  const text = /^\s*\d+(?:\.\d+)?\s*$/.test(typed) ? `${typed.trim()} GB` : typed;
  const named = readFitQuestion(kb, vocabulary(), text).hardware;
  if (named) return named;
  throw new UserFacingError(
    `I don't know the hardware “${typed.slice(0, 80)}”. Pick one from the list (e.g. \`4090\`, \`m3 ultra\`, \`h100\`, \`spark\`), or type its memory, e.g. \`24 GB\`.`,
  );
}

function fitFormat(kb: KnowledgeBase, typed: string): Pick<Parameters<typeof answerFit>[2], "format" | "width"> {
  const byId = QUANT_FORMATS.find((format) => format.id === typed.trim().toLowerCase());
  if (byId) return { format: byId, width: null };
  const read = readFitQuestion(kb, vocabulary(), typed);
  if (read.format || read.width) return { format: read.format, width: read.width };
  // "mlx" typed as a format: the runtime's own default format (MLX 4-bit).
  const named = runtimeById(foldText(typed.trim()));
  const ownFormat = named && quantFormat(named.defaultFormat);
  if (ownFormat) return { format: ownFormat, width: null };
  throw new UserFacingError(
    `I don't know the format “${typed.slice(0, 40)}”. Formats I know: ${QUANT_FORMATS.map((format) => format.label).join(", ")}.`,
  );
}

function fitRuntime(typed: string): RuntimeId {
  const folded = foldText(typed.trim());
  const byId = RUNTIMES.find((runtime) => runtime.id === folded || foldText(runtime.label) === folded);
  if (byId) return byId.id;
  const read = vocabulary().first("runtime", typed) as RuntimeId | null;
  if (read) return read;
  throw new UserFacingError(
    `I don't know the runtime “${typed.slice(0, 40)}”. Runtimes I know: ${RUNTIMES.map((runtime) => runtime.label).join(", ")} (Ollama and LM Studio run on llama.cpp).`,
  );
}
