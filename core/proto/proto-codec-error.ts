import { EgretError } from '../errors.js';

export type ProtoCodecErrorCode =
  /** A decoded message breaks what Egret needs of it (unknown grouping, missing parallelism, bad JSON value). */
  | 'PROTO_MALFORMED'
  /** A domain value has no faithful protobuf form (a non-finite number in a config value, a reserved key). */
  | 'PROTO_UNENCODABLE';

/** Thrown by the codecs in core/proto; the message names the component and key at fault. */
export class ProtoCodecError extends EgretError<ProtoCodecErrorCode> {}
