import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { PostOutcome } from "../digest/poster.ts";
import type { WriteFailureKind } from "../store/types.ts";
import type { GatewayEvent } from "./gateway-events.ts";
import type { EndpointRefusal } from "./interactions-server.ts";

/** Answer latency buckets in seconds: the bot answers in a millisecond; Discord allows three seconds. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * What an operator watches, in Prometheus's format: interactions by command and outcome, how fast
 * they were answered, digests, the content being served and its reloads, database errors and the
 * gateway connection, plus Node's own process metrics.
 */
export class BotMetrics {
  readonly registry = new Registry();

  private readonly interactions = new Counter({
    name: "stackbot_interactions_total",
    help: "Interactions handled, by kind (command, component, autocomplete), command and outcome.",
    labelNames: ["kind", "command", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly answerSeconds = new Histogram({
    name: "stackbot_answer_seconds",
    help: "Time from an interaction's arrival to its answer being sent, for commands and components.",
    labelNames: ["command"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly autocompleteSeconds = new Histogram({
    name: "stackbot_autocomplete_seconds",
    help: "Time from an autocomplete interaction's arrival to its choices being sent.",
    labelNames: ["command"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly digests = new Counter({
    name: "stackbot_digests_total",
    help: "Daily digest attempts by result: sent, already-sent, skipped, disabled, failed.",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  private readonly content = new Gauge({
    name: "stackbot_content_info",
    help: "The content being served (value 1): where it comes from and its date.",
    labelNames: ["origin", "date"] as const,
    registers: [this.registry],
  });
  private readonly reloads = new Counter({
    name: "stackbot_content_reloads_total",
    help: "Content reloads by result (ok, failed); a failed one keeps the previous content.",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  private readonly lastReload = new Gauge({
    name: "stackbot_content_last_reload_ok",
    help: "1 when the last content load (the one at start-up, or a reload) succeeded, 0 when it failed.",
    registers: [this.registry],
  });
  private readonly sourceSynced = new Gauge({
    name: "stackbot_content_source_synced",
    help: "With CONTENT_SOURCE set: 1 when a synced copy of the site is served, 0 while the bundled content stands in.",
    registers: [this.registry],
  });
  private readonly databaseErrors = new Counter({
    name: "stackbot_database_errors_total",
    help: "Database operations that failed, by kind (disk-full, io, unreachable, other).",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  private readonly gateway = new Counter({
    name: "stackbot_gateway_events_total",
    help: "Gateway connection changes: disconnect, resume, session-lost, reidentify, closed.",
    labelNames: ["event"] as const,
    registers: [this.registry],
  });

  private readonly endpointRefusals = new Counter({
    name: "stackbot_interactions_endpoint_refused_total",
    help: "Requests POST /interactions refused, by reason (signature, stale, too-large, malformed, unanswered, replay).",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });

  private readonly unansweredQuestions = new Counter({
    name: "stackbot_unanswered_total",
    help: "Questions the content did not answer, by kind (unknown-name, not-covered, off-topic, decline, not-found).",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  private readonly markedWrongAnswers = new Counter({
    name: "stackbot_marked_wrong_total",
    help: "Answers members marked wrong or unhelpful, by answer kind (clause, licence-of, fit, ...).",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "stackbot_" });
    // The bot starts only on content that loaded, so a fresh start is a successful load.
    this.lastReload.set(1);
  }

  interaction(kind: string, command: string, outcome: string, latencyMs: number): void {
    this.interactions.inc({ kind, command, outcome });
    const histogram = kind === "autocomplete" ? this.autocompleteSeconds : this.answerSeconds;
    histogram.observe({ command }, latencyMs / 1000);
  }

  digest(outcome: PostOutcome): void {
    if (outcome !== "no-digest") this.digests.inc({ result: outcome });
  }

  contentServed(origin: string, date: string | null): void {
    this.content.reset();
    this.content.set({ origin, date: date ?? "unknown" }, 1);
  }

  contentSourceSynced(synced: boolean): void {
    this.sourceSynced.set(synced ? 1 : 0);
  }

  reload(ok: boolean): void {
    this.reloads.inc({ result: ok ? "ok" : "failed" });
    this.lastReload.set(ok ? 1 : 0);
  }

  databaseError(kind: WriteFailureKind): void {
    this.databaseErrors.inc({ kind });
  }

  unanswered(kind: string): void {
    this.unansweredQuestions.inc({ kind });
  }

  markedWrong(kind: string): void {
    this.markedWrongAnswers.inc({ kind });
  }

  endpointRefused(reason: EndpointRefusal): void {
    this.endpointRefusals.inc({ reason });
  }

  gatewayEvent(event: GatewayEvent): void {
    this.gateway.inc({ event });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
