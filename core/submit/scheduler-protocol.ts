import { isEgretError, messageOf } from '../errors.js';
import { heron, ProtoSchedulerResponse } from '../proto/index.js';
import { SchedulerError, type SchedulerErrorCode } from '../spi/scheduler.js';

/**
 * The scheduler process's HTTP interface (service mode), as Heron's SchedulerServer has it: `POST /kill`,
 * `/restart` and `/update` with a KillTopologyRequest, RestartTopologyRequest (container_index -1: every
 * container) or UpdateTopologyRequest as the body, answered with a SchedulerResponse: OK with HTTP 200, NOTOK with
 * HTTP 500 (400 for a request that does not decode). A NOTOK's message starts with the scheduler error's code
 * (`SCHEDULER_UNKNOWN_CONTAINER: ...`), so that the code crosses the wire.
 */
export const SCHEDULER_COMMANDS = ['kill', 'restart', 'update'] as const;
export type SchedulerCommand = (typeof SCHEDULER_COMMANDS)[number];

/** The content type of requests and answers. */
export const SCHEDULER_CONTENT_TYPE = 'application/x-protobuf';

/** `container_index` of a RestartTopologyRequest that restarts every container. */
export const ALL_CONTAINERS = -1;

/** The failure code of each command when the scheduler's answer carries none. */
export const COMMAND_FAILURE: Readonly<Record<SchedulerCommand, SchedulerErrorCode>> = {
  kill: 'SCHEDULER_KILL_FAILED',
  restart: 'SCHEDULER_RESTART_FAILED',
  update: 'SCHEDULER_UPDATE_FAILED',
};

const CODE_PREFIX = /^(SCHEDULER_[A-Z_]+): /;
/**
 * The codes kept from an answer. Not SCHEDULER_UNREACHABLE: on this side it means "this client could not reach the
 * scheduler" (a kill then falls back to library mode), which an answer disproves. Nor a code this version lacks.
 */
const KNOWN_CODES: ReadonlySet<string> = new Set<SchedulerErrorCode>([
  'SCHEDULER_SCHEDULE_FAILED',
  'SCHEDULER_KILL_FAILED',
  'SCHEDULER_RESTART_FAILED',
  'SCHEDULER_UPDATE_FAILED',
  'SCHEDULER_UNKNOWN_CONTAINER',
  'SCHEDULER_NOT_SCALABLE',
]);

/** An encoded SchedulerResponse: OK, or NOTOK with the error's code and message. */
export function encodeSchedulerResponse(error?: unknown): Uint8Array {
  const status =
    error === undefined
      ? { status: heron.proto.system.StatusCode.OK }
      : { status: heron.proto.system.StatusCode.NOTOK, message: isEgretError(error) ? `${error.code}: ${error.message}` : messageOf(error) };
  return ProtoSchedulerResponse.encode({ status }).finish();
}

/** A decoded answer: ok, or the code (when it names one) and the message of the scheduler's error. */
export type SchedulerVerdict = { readonly ok: true } | { readonly ok: false; readonly code: SchedulerErrorCode | undefined; readonly message: string };

/** Reads a SchedulerResponse; throws (whatever protobufjs throws) for bytes that are not one. */
export function decodeSchedulerResponse(bytes: Uint8Array): SchedulerVerdict {
  const response = ProtoSchedulerResponse.decode(bytes);
  if (response.status.status === heron.proto.system.StatusCode.OK) return { ok: true };
  const text = response.status.message ?? `status ${response.status.status}`;
  const code = CODE_PREFIX.exec(text)?.[1];
  return code === undefined || !KNOWN_CODES.has(code) ? { ok: false, code: undefined, message: text } : { ok: false, code: code as SchedulerErrorCode, message: text.slice(code.length + 2) };
}

/** The error a NOTOK verdict stands for, named after the scheduler that gave it. */
export function verdictError(verdict: Extract<SchedulerVerdict, { ok: false }>, command: SchedulerCommand, where: string): SchedulerError {
  return new SchedulerError(`${where} refused ${command}: ${verdict.message}`, { code: verdict.code ?? COMMAND_FAILURE[command] });
}
