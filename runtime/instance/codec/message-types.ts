/** Frame type names of the data messages (native/PROTOCOL.md §3). */
export const HERON_TUPLE_SET = 'heron.proto.system.HeronTupleSet';
export const HERON_TUPLE_SET2 = 'heron.proto.system.HeronTupleSet2';
/** Control messages between an instance and its stream manager (PROTOCOL.md §2). */
export const REGISTER_INSTANCE_REQUEST = 'heron.proto.stmgr.RegisterInstanceRequest';
export const REGISTER_INSTANCE_RESPONSE = 'heron.proto.stmgr.RegisterInstanceResponse';
export const NEW_INSTANCE_ASSIGNMENT = 'heron.proto.stmgr.NewInstanceAssignmentMessage';
