import type { z } from "zod";

export type IssueSeverity = "error" | "warning";

/** One problem found in the content, named by file and (where known) field path. */
export interface ContentIssue {
  severity: IssueSeverity;
  file: string;
  path?: string;
  message: string;
}

export function formatIssue(issue: ContentIssue): string {
  const where = issue.path ? `${issue.file} ${issue.path}` : issue.file;
  return `${issue.severity}: ${where}: ${issue.message}`;
}

export function issuesFromZod(file: string, error: z.ZodError, prefix: (string | number)[] = []): ContentIssue[] {
  return error.issues.map((issue) => ({
    severity: "error" as const,
    file,
    path: formatPath([...prefix, ...issue.path.map((part) => (typeof part === "symbol" ? String(part) : part))]),
    message: issue.message,
  }));
}

function formatPath(parts: (string | number)[]): string {
  return parts.map((part, index) => (typeof part === "number" ? `[${part}]` : index ? `.${part}` : part)).join("");
}
