import { EgretError } from '../../core/errors.js';

export type InstanceErrorCode =
  /** The command line is wrong (a missing or malformed option). */
  | 'INSTANCE_BAD_ARGUMENTS'
  /** The package directory lacks a file or holds one that does not parse. */
  | 'INSTANCE_PACKAGE_INVALID'
  /** `topology.reliability.mode` asks for a mode this version does not run. */
  | 'INSTANCE_UNSUPPORTED_MODE'
  /** The physical plan or the topology module has no component for this task, or no factory for it. */
  | 'INSTANCE_COMPONENT_NOT_FOUND'
  /** `topology.serializer` names a module that cannot be loaded or is not a serializer. */
  | 'INSTANCE_SERIALIZER_INVALID'
  /** User code emitted something the topology does not allow (unknown stream, wrong task, bad value). */
  | 'INSTANCE_EMIT_INVALID'
  /** The stream manager answered the registration with NOTOK. */
  | 'INSTANCE_REGISTRATION_REFUSED'
  /** The connection to the stream manager failed or ended. */
  | 'INSTANCE_STMGR_LOST'
  /** The stream manager sent bytes that break PROTOCOL.md. */
  | 'INSTANCE_PROTOCOL';

/** Thrown by the instance runtime; the message says what was being done and for which component and task. */
export class InstanceError extends EgretError<InstanceErrorCode> {}
