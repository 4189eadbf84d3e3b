/**
 * The frame types of the metrics connections (native/PROTOCOL.md §9): publisher → metrics manager, and metrics
 * manager → topology manager (on the topology manager's server port, beside the stream managers).
 */
export const MetricsMessageTypes = {
  PUBLISHER_REGISTER_REQUEST: 'heron.proto.system.MetricPublisherRegisterRequest',
  PUBLISHER_REGISTER_RESPONSE: 'heron.proto.system.MetricPublisherRegisterResponse',
  PUBLISHER_PUBLISH_MESSAGE: 'heron.proto.system.MetricPublisherPublishMessage',
  PUBLISH_METRICS: 'heron.proto.tmanager.PublishMetrics',
} as const;

/** Heron's metrics manager reads frames of at most 1 MB. */
export const METRICSMGR_MAX_FRAME_BYTES = 1024 * 1024;
