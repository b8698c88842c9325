import type { ClauseQuestion } from "../content/schemas.ts";
import { foldText } from "../knowledge/normalize.ts";

/**
 * What a question's wording says about its shape, read from plain cues. Pure text: which entry it
 * names is the search index's job.
 */

/**
 * The cue for each clause question, most specific first: a question about a user cap usually also
 * says "commercial", so the cap is tried before commercial use.
 */
const CLAUSE_CUES: readonly [ClauseQuestion, RegExp][] = [
  [
    "user-cap",
    /\b(?:\d[\d.,]*\s*(?:k|m|b|million|billion|mil)?\s*(?:monthly\s+)?(?:active\s+)?(?:users|mau|customers|people|subscribers))\b|\b(?:a|one|several|many) (?:million|billion) (?:monthly )?(?:users|people|customers)|unlimited (?:users|scale)|any number of users|\bmau\b|monthly active|user (?:cap|limit|threshold|ceiling)|(?:cap|limit|threshold|ceiling) on (?:users|revenue)|(?:hundreds of )?millions of (?:users|people|customers)|billions? of users|how many users|revenue (?:cap|limit|threshold)|\bat (?:any )?scale\b|too big|large (?:company|companies|platform)|big tech|huge (?:user ?base|app|platform)/,
  ],
  [
    "train-other-models",
    /(?:outputs?|generations?|responses|completions|synthetic data|generated data|answers it gives)\b.{0,60}\b(?:train|improve|build|make|fine-?tune|create|distill)|\b(?:train|fine[- ]?tune|finetune|distill)\w*\b.{0,60}\b(?:on|with|using|from) .{0,40}\b(?:outputs?|generations?|responses|completions|answers)\b|\bdistill|\b(?:train|improve|build)(?:ing)? (?:another|other|my own|a different|a new|a competing|competing|a rival|rival|a smaller|smaller) (?:\w+ )?(?:model|llm)|train .{0,40}\bon (?:its|the|their) (?:outputs?|generations?|responses)|use .{0,30}\bto train\b|improve other (?:llms?|models?)|(?:make|generate|create|build) (?:a |some )?(?:synthetic )?(?:dataset|training data)/,
  ],
  [
    "naming-attribution",
    /\bnam(?:e|es|ed|ing)\b(?! of the licen)|\bcall (?:my|our) (?:model|fine-?tune|version|product)|\bcall it\b|\bcredit\b|attribut|built with|\bbranding\b|\blogo\b|\bprefix\b|\bshow .{0,30}\bin (?:the|my) (?:ui|app|product)|display .{0,20}\b(?:name|kimi|llama)/,
  ],
  [
    "regional-limits",
    /\b(?:eu|e\.u\.|europe|european|uk|france|french|germany|german|gmbh|italy|spain|netherlands|dutch|poland|sweden|ireland|austria|belgium|users in|united kingdom|britain|switzerland|swiss|eea|korea|china|chinese users|countr(?:y|ies)|regions?|regional|geo-?block|territor(?:y|ies)|sanction|based in|located in|domiciled|headquartered)\b/,
  ],
  [
    "termination",
    /terminat|\brevok|revoc|remote(?:ly)? (?:restrict|shut|disable|kill|turn)|restrict (?:my |your |our )?(?:use|usage)\b|shut (?:off|down) my|kill ?switch|\bpull the plug|\bsue\b|\bsuing\b|\bsued\b|lawsuit|litigat|take (?:it|the licen[cs]e|my rights?) away|lose (?:my |the )?(?:licen[cs]e|rights?|access)|\bend (?:it|my|the licen|the agreement)|pull the licen|cancel (?:my|the) licen/,
  ],
  // "Do I have to open-source my fine-tune?" asks what sharing requires, not about OSI approval.
  [
    "redistribute",
    /(?:have to|must|need to|required to|forced to|obliged to) (?:open[- ]?source|release|publish|share) (?:my|our|the)|copyleft|share-?alike|same licen[cs]e/,
  ],
  [
    "notices",
    /\bnotices?\b|copy of the (?:licen[cs]e|terms|agreement)|(?:include|ship|bundle|keep|add) (?:the |a )?(?:licen[cs]e|copyright)(?: file| text| notice)?|licen[cs]e (?:file|text) (?:with|in)|copyright notice/,
  ],
  [
    "osi-approved",
    /\bosi\b|open[- ]source|\bfoss\b|truly open|really open|actually open|properly open|open source definition|\bosaid\b/,
  ],
  [
    "gated-download",
    /\bgated?\b|request access|(?:need|needs|require|requires|without) (?:an? )?approval|approval to download|accept .{0,20}\bterms\b.{0,20}\bdownload|(?:ask|apply) for access|sign ?up|log ?in to download|accept (?:the |their )?(?:terms|licen[cs]e) (?:to|before)|approval to download|access form|need (?:permission|approval) to download|download (?:it )?freely|just download/,
  ],
  [
    "acceptable-use",
    /acceptable[- ]use|use polic(?:y|ies)|usage polic(?:y|ies)|use restrictions?|restrictions on (?:use|what)|\bban\b|\baup\b|prohibited|\bbann?ed\b|\bforbidden\b|\bmilitary\b|\bweapons?\b|\bnsfw\b|\badult content\b|\berotic|\bsurveillance\b|what (?:can'?t|can not|cannot) i use|uses? (?:are|is) (?:not allowed|forbidden|banned|prohibited)|medical advice|legal advice|\bcriminal\b/,
  ],
  [
    "redistribute",
    /redistribut|\bdistribut|re-?upload|\bmirror\b|share (?:the |my |a )?(?:weights|model|fine-?tune|checkpoint|version)|(?:upload|publish|post|put|release) .{0,30}\b(?:hugging ?face|hf|online|publicly|github)|publish (?:my|the) (?:weights|fine-?tune|model|version|checkpoint)|\bresell\b|host (?:it )?for (?:others|customers|other people)|offer (?:it )?as an? (?:api|service)/,
  ],
  [
    "modify",
    /fine[- ]?tun|self[- ]?host|download (?:the |its )?weights|run (?:it |them )?(?:locally|on[- ]?prem)|finetun|\bmodd?(?:ing|ed)?\b|\bmodify\b|\bmodification|\bmodified (?:version|weights|model|copy)|\bchange the (?:weights|model)|\badapt\b|\blora\b|\bqlora\b|train (?:it )?on (?:my|our) (?:own )?data|\bcustomi[sz]e|\bquantiz|\bmerge\b|\bprune\b|\bretrain/,
  ],
  [
    "commercial-use",
    /commercial|\bsell\b|selling|monetiz|monetis|for[- ]profit|\bbusiness\b|\bstartup\b|\bcompany\b|\bclients?\b|\bcustomers?\b|paid (?:product|service|app|saas|tier)|\bin production\b|\bproduction use\b|\bsaas\b|make money|earn money|\bprofit\b|\benterprise\b|\bproduct\b|\bat work\b|\bour (?:team|company|org|organi[sz]ation|employees|staff|devs?|developers)\b|\binternal(?:ly)?\b|\bin-house\b|\bon-?prem/,
  ],
];

/** Wording that asks whether something is allowed, required or true: the mark of a clause question. */
const YES_NO =
  /^(?:can|may|could|am|is|are|do|does|did|must|should|will|would|has|have)\b|\b(?:allowed|allow|permitted|permit|ok|okay|fine(?![- ]?tun)|legal|able to|have to|need to|required|require|must|can i|may i|can we|may we|are we|am i|any (?:restrictions?|limits?|rules?))\b/;

export function clauseOf(question: string): ClauseQuestion | null {
  const text = foldText(question);
  for (const [clause, cue] of CLAUSE_CUES) if (cue.test(text)) return clause;
  return null;
}

export function asksYesNo(question: string): boolean {
  return YES_NO.test(foldText(question).trim());
}

/** "What licence is X under", "X's license?", "which licence does X use". */
const LICENCE_OF =
  /\blicen[cs]e name\b|\bname of (?:the|its) licen|\b(?:what|which)(?:'s| is)?\s+(?:\w+\s+){0,2}licen[cs]e\b|\blicen[cs]e (?:of|for)\b|\blicen[cs]ed under\b|\bunder (?:what|which) licen|\breleased under what|\bwhat terms\b|\bwhat are the terms\b|^\s*licen[cs]e\s*\??\s*$/;

/** "EleutherAI/pythia-6.9b license?": a bare name then "licence", a weaker sign than "what licence". */
const ENDS_WITH_LICENCE = /\blicen[cs]e\s*\?*\s*$/;

/** "strong" for "what licence is X under"; "weak" for a question that merely ends in "licence?". */
export function asksWhichLicence(question: string): "strong" | "weak" | null {
  const text = foldText(question);
  if (LICENCE_OF.test(text)) return "strong";
  return ENDS_WITH_LICENCE.test(text) ? "weak" : null;
}

const DEFINITION =
  /^\s*(?:what\s*(?:is|are|was|were|does|do|'s|s)|whats|what's|wtf is|wth is|wat is|define|definition of|meaning of|explain|eli5|tell me about|what is meant by|what do you mean by|what do people mean by|how does|how do|what does .+ stand for)\s+(?:the\s+|an?\s+)?(.+?)(?:\s+(?:mean|means|stand for|refer to|work|works)(?:\s+(?:in|for|when|with|on)\b.*)?)?\s*\??\s*$/i;

/** Asides that say how to explain, not what: "like I'm 5", "in plain English". */
const HOW_TO_EXPLAIN =
  /\s*\b(?:like (?:i'?m|im|i am) (?:5|five)|eli5|in (?:simple|plain|layman'?s?) (?:terms|english|words)|for (?:a |an )?(?:beginners?|dummies|noobs?|non-experts?)|simply|briefly|quickly|please|pls|plz|exactly|again)\b\s*/gi;

/** The subject of "what is X", or null when the question is not a definition question. */
export function definitionSubject(question: string): string | null {
  const subject = DEFINITION.exec(question.replace(HOW_TO_EXPLAIN, " ").trim())?.[1];
  return subject?.trim() || null;
}

/** "X vs Y", "difference between X and Y", "compare X with Y", "X or Y for ...". */
const COMPARISON = [
  /\bdiff(?:erence|erences|ers)? between (.+?) and (.+)/i,
  /\bchanged? (?:from|between) (.+?) (?:to|and) (.+)/i,
  /\bcompare (.+?) (?:and|with|to|vs\.?|versus) (.+)/i,
  /(.+?)\s+(?:vs\.?|versus|v\.|compared (?:to|with)|against)\s+(.+)/i,
  /\bhow (?:does|do|is|are) (.+?) (?:differ from|different from|compare (?:to|with)) (.+)/i,
  /^(?:should i (?:use|pick|choose|go with)|which is better[,:]?|which one[,:]?|pick)?\s*((?:\S+\s+){0,3}?\S+)\s+or\s+((?:\S+\s+){0,3}?\S+?)(?:\s+for\b.*|\s*,.*|\?|$)/i,
];

/** The two sides of a comparison question, each still free text; null when it compares nothing. */
export function comparisonSides(question: string): [string, string] | null {
  for (const pattern of COMPARISON) {
    const match = pattern.exec(question);
    if (match?.[1]?.trim() && match[2]?.trim()) return [match[1].trim(), match[2].trim()];
  }
  return null;
}

/** A question that asks for several things: "which models…", "list the licences that…". */
const LIST =
  /\beverything (?:under|licensed under|released under)\b|^\s*who (?:publishes|releases|shares|open-?sources|puts out)\b|^\s*(?:which|what|list|name|show|give me|tell me|are there|any|who)\b.{0,80}\b(?:models|families|licen[cs]es|labs|companies|ones|llms|releases|developers|options)\b|^\s*(?:list|name|show me|give me)\b|\ball (?:the )?(?:models|families|licen[cs]es|labs)\b/;

export function asksForList(question: string): boolean {
  return LIST.test(foldText(question));
}

/** Comparisons of quality ("better", "best", "fastest") are judgements the content does not make. */
const QUALITY =
  /\b(?:better|best|worse|worst|fastest|faster|smarter|smartest|stronger|strongest|most capable|benchmark score|leaderboard|ranking|beats?)\b/;

/** Whether a question is about licences or terms ("which licence is less of a headache"). */
export function asksAboutLicences(question: string): boolean {
  return /\blicen[cs]|\bterms\b|\bopen(?:ness)?\b|\brestrict/.test(foldText(question));
}

export function asksForJudgement(question: string): boolean {
  return QUALITY.test(foldText(question));
}

/**
 * Topics Stackbot does not cover: hardware, prices, installing and running software, debugging,
 * and anything outside open AI models. A question on one of these gets an honest "I don't know"
 * rather than the card of an entry it happens to mention.
 */
const OUT_OF_SCOPE =
  /\b(?:gpus?|vram|rtx|\d+\s*gb|graphics card|cuda|[2-5]0[5-9]0s?|\d?x?\d090s?|a6000|hardware|cpu|laptop|macbook|mac mini|raspberry|price|prices|pricing|pricier|cost|costs|cheap|cheaper|cheapest|expensive|per token|per token|subscription|install|installing|installation|set up|setup|ollama|lm studio|llama\.cpp|vllm|docker|kubernetes|windows|linux|python|javascript|typescript|pip|npm|error|traceback|exception|bug|crash|crashes|debug|weather|forecast|recipe|cook|football|soccer|stock|stocks|crypto|bitcoin|ethereum|movie|song|lyrics|girlfriend|boyfriend|homework|translate this|write me|write a|poem|essay|joke|tokens per second|latency|speed|how fast|download link|api key|rate limits?|jailbreak|per million|discount|coupon|valuation|funding|investors?|news|today|yesterday|coming out|release date|when (?:is|will) .{1,30} (?:come|launch|release|drop)|h100s?|a100s?|phone|iphone|android|importerror|modulenotfounderror|job|salary|career|how long does|how much (?:does|do|is|are|will|would|did))\b/;

/** Requests for code or help with software are never answered by a licence card, whatever they name. */
const NEVER_IN_SCOPE =
  /\b(?:python|script|code snippet|snippet|write me|write a|traceback|importerror|modulenotfounderror|keyerror|valueerror|typeerror|runtimeerror|segfault\w*|out of memory|oom|from_pretrained|automodel\w*|stack trace|unsloth|notebook|how (?:do i |to |can i )?fix|any fix|ipo|stock price|share price|essays?|homework)\b/;

export function isNeverInScope(question: string): boolean {
  return NEVER_IN_SCOPE.test(foldText(question));
}

export function isOutOfScope(question: string): boolean {
  return OUT_OF_SCOPE.test(foldText(question));
}

/** A question about several things by their plural ("osi approved licences?", "models under mit"). */
const PLURAL_TARGET = /\b(?:models|families|licen[cs]es|labs|llms)\b/;

export function namesPluralTarget(question: string): boolean {
  return PLURAL_TARGET.test(foldText(question));
}
