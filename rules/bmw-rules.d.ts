// Type declarations for the JavaScript in bmw-rules rule files (script: and js:).
// Editors (VS Code, WebStorm) pick these up for completion when you edit a copy of a
// script in a .js file next to this one, or add:  /// <reference path="bmw-rules.d.ts" />
//
// Scripts run in strict mode inside an async function: use `await` on wallbox/mqtt calls
// and `return` to stop early. No eval, no Function(), no .NET/CLR access. Each run is
// limited in time, statements, memory, recursion and number of wallbox/mqtt calls
// (config: rules.scripts.*). A script that hits a limit is stopped and reported with the
// rule id and script line; other rules keep running.

/** What a wallbox action answered. */
interface ActionResult {
  /** true when the controller accepted the action. */
  readonly ok: boolean;
  /** "Accepted" | "Rejected" | "NotConnected" | "TimedOut". */
  readonly outcome: "Accepted" | "Rejected" | "NotConnected" | "TimedOut";
  /** Human-readable explanation, e.g. why the safety envelope refused it. */
  readonly message: string;
}

type ConnectorStatus = "Available" | "Occupied" | "Reserved" | "Unavailable" | "Faulted";
type ChargingState = "EVConnected" | "Charging" | "SuspendedEV" | "SuspendedEVSE" | "Idle" | "none";

/**
 * The rule's station (its `station:`, else the first configured one). Values are null while
 * the box is not connected (they would be stale). Actions are claims under the rule's id and
 * pass the controller's safety envelope, exactly like the YAML actions.
 */
interface Wallbox {
  readonly connected: boolean;
  readonly status: ConnectorStatus | null;
  /** "none" while connected without a transaction. */
  readonly chargingState: ChargingState | null;
  /** W */
  readonly power: number | null;
  /** Wh */
  readonly energy: number | null;
  /** A (sum of phases) */
  readonly current: number | null;
  /** V */
  readonly voltage: number | null;
  /** The effective limit in A (minimum of all claims, clamped to the envelope). */
  readonly limit: number | null;
  /** Who sets the limit: a rule id, a manual source, or "default". */
  readonly limitSource: string | null;
  readonly transactionId: string | null;
  /** The station's charge mode ("off" | "now" | "minsolar" | "solar" | "plan"); null in a run without charge modes. */
  readonly mode: string | null;
  /** Phases of the installation (wallbox.phases, or charging.stations.<name>.phases): W = A × V × phases. */
  readonly phases: number | null;
  /** Nominal phase voltage (wallbox.voltage), for W ↔ A conversions (`voltage` is the measured one). */
  readonly voltageNominal: number | null;
  /** wallbox.min_current and max_current (A). */
  readonly minCurrent: number | null;
  readonly maxCurrent: number | null;
  /** When the running transaction started (ISO 8601, UTC); null without one. */
  readonly sessionStartedAt: string | null;
  /** kWh charged since the car was plugged in, as the charging history counts it (meter register differences); null without an open session or with history disabled. */
  readonly sessionEnergy: number | null;
  /** When the car was plugged in (the history's session start, ISO 8601, UTC); null without an open session or with history disabled. */
  readonly pluggedInAt: string | null;

  /** Claim 0 A under this rule's id. */
  pause(): Promise<ActionResult>;
  /** Drop this rule's claim (same as release). */
  resume(): Promise<ActionResult>;
  /** Claim `amps` (0, or between wallbox.min_current and max_current). */
  setCurrent(amps: number): Promise<ActionResult>;
  /** Drop this rule's claim. */
  release(): Promise<ActionResult>;
  /**
   * Set the planner's target for this station ("charge N kWh, or to N %, by HH:MM at the cheapest hours"):
   * `{ energy_kwh: 30, by: "07:00" }`, `{ soc: 80, by: "07:00" }`, `"30kWh@07:00"`; `null` clears it.
   * The plan is followed while the station's charge mode is `plan`.
   */
  setPlan(target: { energy_kwh?: number; soc?: number; by?: string } | string | null): Promise<ActionResult>;
  /** Resume the transaction, or start one. */
  start(): Promise<ActionResult>;
  /** Reboot the box (rate-limited; refused when wallbox.allow_reboot is false). */
  reboot(): Promise<ActionResult>;
  /** Switch the station's charge mode: "off" | "now" | "minsolar" | "solar" | "plan" (kept across restarts). */
  setMode(mode: "off" | "now" | "minsolar" | "solar" | "plan"): Promise<ActionResult>;
}

/**
 * Configured signals by name: the current value, or null when it has no value yet or is stale.
 * Reading an unavailable signal makes a js: condition "unavailable" (false), and refuses
 * wallbox actions for the rest of that run. Check `signals.available(name)` first to handle it.
 */
interface Signals {
  readonly [name: string]: number | null | any;
  /** true when the signal has a value that is not stale. Does not count as reading it. */
  available(name: string): boolean;
}

interface Mqtt {
  /**
   * Publish to a topic (no wildcards). Non-string payloads are sent as JSON. The stations' command
   * topics (<base>/<name>/set/...) are refused: act through wallbox.* instead.
   */
  publish(topic: string, payload: unknown, options?: { retain?: boolean }): Promise<ActionResult>;
}

/** Logs and traces; at most 8 KiB per run, the rest is dropped with a note. */
interface Log {
  info(...values: unknown[]): void;
  warn(...values: unknown[]): void;
  error(...values: unknown[]): void;
}

/** What fired this run. */
interface Trigger {
  /** "signal" | "wallbox" | "event" | "schedule" | "every" | "mqtt" | "startup" | "level" */
  readonly kind: string;
  readonly description: string;
  /** signal triggers */
  readonly signal?: string;
  readonly value?: number | string | null;
  readonly from?: number | string;
  readonly to?: number | string;
  /** wallbox state triggers */
  readonly field?: string;
  /** wallbox event triggers: connected, disconnected, boot, transaction_started, ... */
  readonly event?: string;
  readonly status?: string | null;
  readonly chargingState?: string | null;
  readonly transactionId?: string | null;
  /** mqtt triggers */
  readonly topic?: string;
  readonly payload?: string;
  /** cron / at triggers: the scheduled instant (UTC) and local wall time */
  readonly scheduled?: string;
  readonly local?: string;
  readonly [key: string]: unknown;
}

declare const wallbox: Wallbox;
declare const signals: Signals;
declare const mqtt: Mqtt;
declare const log: Log;
/** The time this run started (the runtime's clock; Date.now() follows it too). */
declare const now: Date;
declare const trigger: Trigger;
/**
 * Per-rule values that survive between runs and rule reloads (not restarts). Must stay
 * JSON-serialisable, at most 64 KiB of JSON and 64 levels deep; saved when a script action
 * finishes without error.
 */
declare let store: Record<string, any>;
