// Hive Gateway as the gateways-benchmark runs it, with inbound in-flight request deduplication off.
export const gatewayConfig = { inboundInflightRequestDeduplication: false };
