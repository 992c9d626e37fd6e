// Identical in-flight requests share one execution: the gateways-benchmark's published Hive setting.
export const gatewayConfig = { inboundInflightRequestDeduplication: true };
