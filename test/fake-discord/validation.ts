/**
 * The limits Discord enforces on what bots send. Bots that answer with generated text hit these
 * (a 2,001-character answer, an 11th embed), so the fake rejects them with the same errors.
 */
import type { APIEmbed } from "discord.js";
import type { CommandBody, MessageBody, UploadedFile } from "./payloads.ts";
import { errors, type FieldProblem, invalidFormBody, type RestError } from "./rest-errors.ts";

const MAX_CONTENT = 2000;
const MAX_EMBEDS = 10;
const MAX_EMBED_TOTAL = 6000;
const EMBED_FIELD_LIMITS = { title: 256, description: 4096 } as const;
const MAX_FIELDS = 25;
const MAX_COMMANDS = 100;
const MAX_AUTOCOMPLETE_CHOICES = 25;
/** Discord's documented pattern for command and option names. */
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function tooLong(path: FieldProblem["path"], max: number): FieldProblem {
  return { path, code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${max} or fewer in length.` };
}

/** `isNew`: a new message must have something in it; an edit may change one field only. */
export function messageBodyProblem(
  body: MessageBody,
  files: UploadedFile[],
  isNew: boolean,
  pathPrefix: string[] = [],
): RestError | null {
  const problems: FieldProblem[] = [];
  const at = (...path: Array<string | number>) => [...pathPrefix, ...path];
  if (body.content !== undefined && typeof body.content !== "string") {
    problems.push({ path: at("content"), code: "BASE_TYPE_STRING", message: "Must be a string." });
  } else if ((body.content?.length ?? 0) > MAX_CONTENT) {
    problems.push(tooLong(at("content"), MAX_CONTENT));
  }
  const embeds = body.embeds ?? [];
  if (embeds.length > MAX_EMBEDS) problems.push(tooLong(at("embeds"), MAX_EMBEDS));
  embeds.forEach((embed, index) => {
    problems.push(...embedProblems(embed, at("embeds", index)));
  });
  if (embeds.reduce((total, embed) => total + embedCharacters(embed), 0) > MAX_EMBED_TOTAL) {
    problems.push({
      path: at("embeds"),
      code: "MAX_EMBED_SIZE_EXCEEDED",
      message: "Embed size exceeds maximum size of 6000",
    });
  }
  if (problems.length > 0) return invalidFormBody(problems);

  const isEmpty =
    !body.content &&
    embeds.length === 0 &&
    !body.components?.length &&
    files.length === 0 &&
    !body.sticker_ids?.length &&
    !body.poll;
  return isNew && isEmpty ? errors.emptyMessage() : null;
}

function embedProblems(embed: APIEmbed, path: Array<string | number>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [field, max] of Object.entries(EMBED_FIELD_LIMITS)) {
    const value = embed[field as keyof typeof EMBED_FIELD_LIMITS];
    if (value && value.length > max) problems.push(tooLong([...path, field], max));
  }
  if ((embed.fields?.length ?? 0) > MAX_FIELDS) problems.push(tooLong([...path, "fields"], MAX_FIELDS));
  embed.fields?.forEach((field, index) => {
    if (field.name.length > 256) problems.push(tooLong([...path, "fields", index, "name"], 256));
    if (field.value.length > 1024) problems.push(tooLong([...path, "fields", index, "value"], 1024));
  });
  if ((embed.footer?.text.length ?? 0) > 2048) problems.push(tooLong([...path, "footer", "text"], 2048));
  if ((embed.author?.name.length ?? 0) > 256) problems.push(tooLong([...path, "author", "name"], 256));
  return problems;
}

function embedCharacters(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((total, field) => total + field.name.length + field.value.length, 0)
  );
}

export function autocompleteChoicesProblem(choices: unknown): RestError | null {
  if (!Array.isArray(choices)) return null;
  return choices.length > MAX_AUTOCOMPLETE_CHOICES
    ? invalidFormBody([tooLong(["data", "choices"], MAX_AUTOCOMPLETE_CHOICES)])
    : null;
}

interface OptionBody {
  name?: unknown;
  description?: unknown;
  required?: unknown;
  type?: unknown;
  options?: unknown;
  choices?: unknown;
}

export function commandsProblem(commands: CommandBody[]): RestError | null {
  const problems: FieldProblem[] = [];
  if (commands.length > MAX_COMMANDS) problems.push(tooLong([], MAX_COMMANDS));
  const seen = new Set<string>();
  commands.forEach((command, index) => {
    const type = command.type ?? 1;
    const key = `${type}:${command.name}`;
    if (seen.has(key)) {
      problems.push({
        path: [index, "name"],
        code: "APPLICATION_COMMANDS_DUPLICATE_NAME",
        message: "Application command names must be unique",
      });
    }
    seen.add(key);
    problems.push(...commandProblems(command, type === 1, [index]));
  });
  return problems.length > 0 ? invalidFormBody(problems) : null;
}

function commandProblems(command: OptionBody, isChatInput: boolean, path: Array<string | number>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const name = typeof command.name === "string" ? command.name : "";
  // Slash commands are one lower-case word; user and message commands (types 2 and 3) may have
  // capitals and spaces, 1 to 32 characters.
  const valid = isChatInput
    ? COMMAND_NAME.test(name) && name === name.toLowerCase()
    : name.trim().length >= 1 && name.length <= 32;
  if (!valid) {
    problems.push({
      path: [...path, "name"],
      code: "APPLICATION_COMMAND_INVALID_NAME",
      message: "Command name is invalid",
    });
  }
  if (isChatInput) {
    const description = typeof command.description === "string" ? command.description : "";
    if (description.length < 1 || description.length > 100) {
      problems.push({
        path: [...path, "description"],
        code: "BASE_TYPE_BAD_LENGTH",
        message: "Must be between 1 and 100 in length.",
      });
    }
  }
  const options = Array.isArray(command.options) ? (command.options as OptionBody[]) : [];
  if (options.length > 25) problems.push(tooLong([...path, "options"], 25));
  let sawOptional = false;
  options.forEach((option, index) => {
    const optionPath = [...path, "options", index];
    const isGroupOrSub = option.type === 1 || option.type === 2;
    if (option.required === true && sawOptional) {
      problems.push({
        path: optionPath,
        code: "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        message: "Required options must be placed before non-required options",
      });
    }
    if (option.required !== true && !isGroupOrSub) sawOptional = true;
    if (Array.isArray(option.choices) && option.choices.length > 25)
      problems.push(tooLong([...optionPath, "choices"], 25));
    problems.push(...commandProblems(option, true, optionPath));
  });
  return problems;
}
