/**
 * The frame type names of the data-plane messages (native/PROTOCOL.md §2–3): the protobuf full names, as Heron
 * sends them, so a receiver can dispatch before decoding.
 */
export const MessageTypes = {
  HERON_TUPLE_SET: 'heron.proto.system.HeronTupleSet',
  HERON_TUPLE_SET2: 'heron.proto.system.HeronTupleSet2',
  STMGR_REGISTER_REQUEST: 'heron.proto.tmanager.StMgrRegisterRequest',
  STMGR_REGISTER_RESPONSE: 'heron.proto.tmanager.StMgrRegisterResponse',
  STMGR_HEARTBEAT_REQUEST: 'heron.proto.tmanager.StMgrHeartbeatRequest',
  STMGR_HEARTBEAT_RESPONSE: 'heron.proto.tmanager.StMgrHeartbeatResponse',
  NEW_PHYSICAL_PLAN: 'heron.proto.stmgr.NewPhysicalPlanMessage',
  REGISTER_INSTANCE_REQUEST: 'heron.proto.stmgr.RegisterInstanceRequest',
  REGISTER_INSTANCE_RESPONSE: 'heron.proto.stmgr.RegisterInstanceResponse',
  NEW_INSTANCE_ASSIGNMENT: 'heron.proto.stmgr.NewInstanceAssignmentMessage',
  STMGR_HELLO_REQUEST: 'heron.proto.stmgr.StrMgrHelloRequest',
  STMGR_HELLO_RESPONSE: 'heron.proto.stmgr.StrMgrHelloResponse',
} as const;

/** The largest frame the topology manager reads from a stream manager (Heron's 16 MB: plans travel this way). */
export const TMANAGER_MAX_FRAME_BYTES = 16 * 1024 * 1024;
